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

  function mb(size) { return (size / 1048576).toFixed(1) + " MB"; }

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
  form.addEventListener("submit", function (e) {
    var message = tooLarge();
    if (message) {
      e.preventDefault();
      error.textContent = message;
      error.hidden = false;
      return;
    }
    error.hidden = true;
    document.getElementById("upload-submit").textContent = "正在读取…";
  });
})();
