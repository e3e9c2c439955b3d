// Tianping page behaviour. No inline scripts anywhere (the CSP forbids them); this file is it.
(function () {
  'use strict';

  // Confirm before irreversible actions: forms and links carry data-confirm="question".
  document.addEventListener('submit', function (event) {
    var form = event.target;
    var button = event.submitter;
    var question = (button && button.getAttribute('data-confirm')) || form.getAttribute('data-confirm');
    if (question && !window.confirm(question)) {
      event.preventDefault();
      return;
    }
    // Long work (uploads, imports): show progress and stop double submission.
    var progress = form.getAttribute('data-progress');
    if (progress) {
      var buttons = form.querySelectorAll('button[type="submit"]');
      buttons.forEach(function (b) { b.disabled = true; });
      var note = document.createElement('span');
      note.className = 'progress';
      note.setAttribute('role', 'status');
      note.textContent = progress;
      (buttons[buttons.length - 1] || form).insertAdjacentElement('afterend', note);
    }
  });

  document.addEventListener('click', function (event) {
    var link = event.target.closest && event.target.closest('a[data-confirm]');
    if (link && !window.confirm(link.getAttribute('data-confirm'))) event.preventDefault();
    var back = event.target.closest && event.target.closest('a[data-back]');
    if (back && window.history.length > 1) {
      event.preventDefault();
      window.history.back();
    }
  });

  // After a failed submission, move focus to the error summary so screen readers announce it.
  var summary = document.getElementById('form-error');
  if (summary) {
    summary.setAttribute('tabindex', '-1');
    summary.focus();
  }
})();
