// The upload page: drag-and-drop onto the file input, and a size check before sending,
// so that a file over the limit is refused at once instead of after uploading it.
(function () {
  "use strict";
  var form = document.getElementById("upload-form");
  if (!form) { return; }
  var input = document.getElementById("files");
  var zone = document.getElementById("dropzone");
  var chosen = document.getElementById("chosen");
  var error = document.getElementById("client-error");
  var maxBytes = parseInt(form.getAttribute("data-max-bytes"), 10);

  // The same rule as jixiao.web.display.size_text on the server.
  function mb(size) {
    if (size < 1024) { return size + " 字节"; }
    if (size < 1048576) { return (size / 1024).toFixed(1) + " KB"; }
    return (size / 1048576).toFixed(1) + " MB";
  }

  function show() {
    var names = [];
    for (var i = 0; i < input.files.length; i++) { names.push(input.files[i].name); }
    chosen.textContent = names.length ? "已选择 " + names.length + " 个文件：" + names.join("、") : "";
  }

  function tooLarge() {
    for (var i = 0; i < input.files.length; i++) {
      var f = input.files[i];
      if (f.size > maxBytes) {
        return "文件「" + f.name + "」大小 " + mb(f.size) + "，超过单个文件上限 " + mb(maxBytes) + "，未上传。";
      }
    }
    return null;
  }

  ["dragenter", "dragover"].forEach(function (name) {
    zone.addEventListener(name, function (e) { e.preventDefault(); zone.classList.add("over"); });
  });
  ["dragleave", "drop"].forEach(function (name) {
    zone.addEventListener(name, function () { zone.classList.remove("over"); });
  });
  zone.addEventListener("drop", function (e) {
    e.preventDefault();
    input.files = e.dataTransfer.files;
    show();
  });
  input.addEventListener("change", show);
  var panel = document.getElementById("upload-progress");
  var bar = document.getElementById("upload-bar");
  var status = document.getElementById("upload-status");
  var button = document.getElementById("upload-submit");

  // Sent with XMLHttpRequest, so the reviewer sees the upload advance and then how long
  // the reading has taken (a scanned PDF is read by OCR at a few seconds a page); the
  // answer is the same page the plain form post would have led to.
  function sendWithProgress() {
    var request = new XMLHttpRequest();
    var started = null;
    var timer = null;
    request.open("POST", form.action);
    request.upload.addEventListener("progress", function (e) {
      if (!e.lengthComputable) { return; }
      bar.value = Math.round(100 * e.loaded / e.total);
      status.textContent = "正在上传：" + bar.value + "%（" + mb(e.loaded) + " / " + mb(e.total) + "）";
    });
    request.upload.addEventListener("load", function () {
      started = Date.now();
      bar.removeAttribute("value");  // indeterminate: the server is reading
      status.textContent = "上传完成，正在读取与审核…";
      timer = setInterval(function () {
        var seconds = Math.round((Date.now() - started) / 1000);
        status.textContent = "正在读取与审核，已用 " + seconds + " 秒（扫描件经 OCR 识别，每页约 3 秒）…";
      }, 1000);
    });
    request.addEventListener("load", function () {
      if (timer) { clearInterval(timer); }
      if (request.status < 400 && request.responseURL) {
        window.location.assign(request.responseURL);
        return;
      }
      // A refusal (too large, not a form file …) is a page of its own: show it.
      document.open();
      document.write(request.responseText);
      document.close();
    });
    request.addEventListener("error", function () {
      if (timer) { clearInterval(timer); }
      panel.hidden = true;
      button.disabled = false;
      button.textContent = "读取并审核";
      error.textContent = "上传中断（网络或服务器连接断开），请重试。";
      error.hidden = false;
    });
    request.send(new FormData(form));
  }

  form.addEventListener("submit", function (e) {
    var message = tooLarge();
    if (message) {
      e.preventDefault();
      error.textContent = message;
      error.hidden = false;
      return;
    }
    error.hidden = true;
    button.textContent = "正在读取…";
    if (!window.XMLHttpRequest || !window.FormData) { return; }  // the plain post still works
    e.preventDefault();
    button.disabled = true;
    panel.hidden = false;
    sendWithProgress();
  });
})();
