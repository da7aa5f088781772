// The printable notices page (/notices): its 打印 button opens the browser's print dialog.
const button = document.getElementById("print-notices");
if (button) button.addEventListener("click", () => window.print());
