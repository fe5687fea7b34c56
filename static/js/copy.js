// A "Copy" button next to a value: `<button data-copy-target="id">` copies that element's text and
// says so in its own live region; where the clipboard is not available, the text is selected instead.
(function () {
  document.querySelectorAll("[data-copy-target]").forEach(function (button) {
    var source = document.getElementById(button.getAttribute("data-copy-target"));
    var status = document.getElementById(button.getAttribute("aria-describedby"));
    button.hidden = false;
    button.addEventListener("click", function () {
      var text = source.textContent.trim();
      function say(message) { if (status) status.textContent = message; }
      function select() {
        var range = document.createRange();
        range.selectNodeContents(source);
        var selection = window.getSelection();
        selection.removeAllRanges();
        selection.addRange(range);
        say("Selected: press Ctrl+C (or Cmd+C) to copy.");
      }
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(text).then(function () { say("Copied."); }, select);
      } else {
        select();
      }
    });
  });
})();
