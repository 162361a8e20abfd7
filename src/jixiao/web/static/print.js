// The form page's 打印 button: the browser's print of this page, whose print stylesheet
// lays the table out on A4 landscape with the findings kept at their rows.
(function () {
  "use strict";
  var button = document.getElementById("print-page");
  if (button) { button.addEventListener("click", function () { window.print(); }); }
})();
