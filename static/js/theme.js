// Dark mode that follows the system setting (Bootstrap 5.3 colour modes). Loaded first so the page
// never flashes in the wrong theme.
(function () {
  var query = window.matchMedia("(prefers-color-scheme: dark)");
  function apply() {
    document.documentElement.setAttribute("data-bs-theme", query.matches ? "dark" : "light");
  }
  apply();
  query.addEventListener("change", apply);
})();
