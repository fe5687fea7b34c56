// The assignment picker: a filter box over the grouped options, and the ticked items listed in the
// order they were ticked (kept in the form's hidden `order` field, which the server follows).
// Without JavaScript the filter and the list stay hidden and the items keep the list's order.
(function () {
  function setUp(picker) {
    var form = picker.closest("form");
    var order = form && form.querySelector("input[name=order]");
    var filter = picker.querySelector("[data-picker-filter]");
    var list = picker.querySelector("[data-picker-order]");
    var boxes = Array.prototype.slice.call(picker.querySelectorAll("input[type=checkbox]"));
    var ticked = boxes.filter(function (b) { return b.checked; }).map(function (b) { return b.value; });
    var known = order && order.value ? order.value.split(",") : [];
    ticked.sort(function (a, b) { return rank(a) - rank(b); });
    function rank(v) { var i = known.indexOf(v); return i < 0 ? known.length : i; }

    function labelOf(value) {
      var box = boxes.find(function (b) { return b.value === value; });
      var label = box && picker.querySelector("label[for='" + box.id + "']");
      return label ? label.textContent.trim() : value;
    }
    function render() {
      if (order) order.value = ticked.join(",");
      list.replaceChildren.apply(list, ticked.map(function (v) {
        var li = document.createElement("li");
        li.textContent = labelOf(v);
        return li;
      }));
      list.hidden = ticked.length === 0;
    }
    boxes.forEach(function (box) {
      box.addEventListener("change", function () {
        ticked = ticked.filter(function (v) { return v !== box.value; });
        if (box.checked) ticked.push(box.value);
        render();
      });
    });
    filter.hidden = false;
    filter.addEventListener("input", function () {
      var words = filter.value.toLowerCase().split(/\s+/).filter(Boolean);
      picker.querySelectorAll("[data-picker-group]").forEach(function (group) {
        var legend = group.querySelector("legend");
        var tip = legend ? legend.textContent.toLowerCase() : "";
        var shown = 0;
        group.querySelectorAll("[data-picker-option]").forEach(function (option) {
          var text = tip + " " + option.textContent.toLowerCase();
          var match = words.every(function (w) { return text.indexOf(w) >= 0; });
          option.hidden = !match;
          shown += match;
        });
        group.hidden = shown === 0;
      });
    });
    render();
  }
  document.querySelectorAll("[data-picker]").forEach(setUp);
})();
