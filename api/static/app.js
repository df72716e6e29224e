// Starts Det Fælles Designsystem's components (error summary focus, accordions, menus) once the page is loaded.
// A file of its own: the CSP allows no inline script. Every page also works without it.
document.addEventListener('DOMContentLoaded', function () {
  if (window.DKFDS) window.DKFDS.init();
});
