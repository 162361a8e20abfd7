// The upload page while its job runs: follows the job's progress live (GET
// /api/uploads/{token}/progress once a second: the state alone, not the preview) and shows the page again when the job has ended,
// as the preview, the saved forms or the reason it failed.
(function () {
  "use strict";
  var job = document.getElementById("job");
  if (!job) { return; }
  var token = job.getAttribute("data-token");
  var started = job.getAttribute("data-state");
  var bar = document.getElementById("job-bar");
  var status = document.getElementById("job-status");
  var running = { queued: true, reading: true, save_queued: true, saving: true };

  function show(upload) {
    var saving = upload.state === "save_queued" || upload.state === "saving";
    bar.max = upload.total || 1;
    bar.value = upload.done;
    if (upload.state === "queued" || upload.state === "save_queued") {
      status.textContent = "已排队，等待处理…";
    } else {
      status.textContent = (saving ? "已保存 " : "已读取 ") + upload.done + " / " + upload.total + " 个文件…";
    }
  }

  function poll() {
    var request = new XMLHttpRequest();
    request.open("GET", "/api/uploads/" + encodeURIComponent(token) + "/progress");
    request.responseType = "json";
    request.addEventListener("load", function () {
      var upload = request.response;
      if (request.status !== 200 || !upload || !running[upload.state] ||
          (upload.state !== started && (started === "queued" || started === "reading") &&
           (upload.state === "save_queued" || upload.state === "saving"))) {
        window.location.reload();
        return;
      }
      show(upload);
      setTimeout(poll, 1000);
    });
    request.addEventListener("error", function () {
      status.textContent = "暂时无法连接服务器，稍后自动重试…";
      setTimeout(poll, 3000);
    });
    request.send();
  }
  setTimeout(poll, 1000);
}());
