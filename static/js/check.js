// After a Check, bring its result into view and give it focus (aria-live announces it), so the
// learner sees what the Check said without scrolling; Ctrl/Cmd+Enter in the lab runs Check.
(function () {
  document.body.addEventListener("htmx:afterSwap", function (event) {
    var panel = document.getElementById("result-panel");
    if (!panel || !event.detail.target || event.detail.target.id !== "result-panel") return;
    var heading = document.getElementById("result-h");
    panel.scrollIntoView({ block: "start" });
    (heading || panel).setAttribute("tabindex", "-1");
    (heading || panel).focus({ preventScroll: true });
  });
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Enter" || !(event.ctrlKey || event.metaKey)) return;
    var form = document.getElementById("check-form");
    if (!form) return;
    event.preventDefault();
    if (window.htmx) { window.htmx.trigger(form, "submit"); } else { form.requestSubmit(); }
  });
})();
