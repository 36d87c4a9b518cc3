// The report's Print button (a file of HQ's own: no inline script, no CDN).
document.addEventListener("click", function (ev) {
  if (ev.target && ev.target.dataset && ev.target.dataset.print) { window.print(); }
});
