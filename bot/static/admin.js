// Upload progress: poll the job until it is done or failed (text inserted as text only).
(function () {
  "use strict";
  var box = document.getElementById("job");
  if (!box) return;
  var url = box.getAttribute("data-url");
  function tick() {
    fetch(url, { credentials: "same-origin" })
      .then(function (r) { return r.json(); })
      .then(function (job) {
        document.getElementById("job-status").textContent = job.status_label;
        document.getElementById("job-stage").textContent = job.stage || "";
        document.getElementById("job-message").textContent = job.message || "";
        var bar = document.getElementById("job-progress");
        bar.max = job.total || 1; bar.value = job.done || 0;
        if (job.status === "done" || job.status === "failed") return;
        setTimeout(tick, 700);
      })
      .catch(function () { setTimeout(tick, 2000); });
  }
  tick();
})();
