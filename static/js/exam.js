// Practice exam countdown: shows the time left and submits the exam when it runs out.
(function () {
  var timer = document.getElementById("exam-timer");
  var form = document.getElementById("exam-form");
  if (!timer || !form) return;
  var deadline = new Date(timer.dataset.deadline).getTime();
  function tick() {
    var left = Math.max(0, Math.round((deadline - Date.now()) / 1000));
    timer.textContent = Math.floor(left / 60) + ":" + String(left % 60).padStart(2, "0");
    if (left === 0) {
      form.submit();
      return;
    }
    setTimeout(tick, 1000);
  }
  tick();
})();
