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

// Score sheets save themselves: a second after the member stops typing, the form is sent to
// the JSON API with the version the page was built from; a newer version elsewhere (another
// tab or phone) is reported instead of silently overwritten. One save is in flight at a time
// (on a slow line two would race, and the second would meet the first's version as if another
// tab had saved); what was typed meanwhile goes in the next. "Saved" is shown only when what
// is on the screen is what was saved, and leaving the page with unsaved typing asks first.
(function () {
  'use strict';
  var form = document.querySelector('form[data-autosave]');
  if (!form) return;
  if (!form.getAttribute('data-autosave')) {
    // A submitted sheet does not save itself (a change needs a reason): ask before leaving
    // one that was changed and not sent.
    var changed = false;
    form.addEventListener('input', function () { changed = true; });
    // After the confirmation (registered earlier on the document): a declined one keeps the warning.
    document.addEventListener('submit', function (event) {
      if (event.target === form && !event.defaultPrevented) changed = false;
    });
    window.addEventListener('beforeunload', function (event) {
      if (!changed) return;
      event.preventDefault();
      event.returnValue = '';
    });
    return;
  }
  var url = form.getAttribute('data-autosave');
  var status = form.querySelector('.autosave-status');
  var versionInput = form.querySelector('input[name="version"]');
  var token = form.querySelector('input[name="_csrf"]').value;
  var timer = null;

  // What was typed and not yet saved is also kept in this tab (sessionStorage: gone when the tab
  // closes), so a member whose session ended mid-sheet can sign in again and put it back.
  var backupKey = 'tianping-unsaved:' + location.pathname;
  function fieldsOf() {
    var fields = [];
    new FormData(form).forEach(function (value, name) {
      if (/^answers\[/.test(name) && typeof value === 'string') fields.push([name, value]);
    });
    return fields;
  }
  function keepCopy() {
    try { sessionStorage.setItem(backupKey, JSON.stringify(fieldsOf())); } catch (e) { /* storage full or off: the server copy still counts */ }
  }
  function dropCopy() {
    try { sessionStorage.removeItem(backupKey); } catch (e) { /* as above */ }
  }
  (function offerCopy() {
    var kept = null;
    try { kept = JSON.parse(sessionStorage.getItem(backupKey) || 'null'); } catch (e) { kept = null; }
    if (!kept || JSON.stringify(kept) === JSON.stringify(fieldsOf())) return dropCopy();
    var note = document.createElement('div');
    note.className = 'notice notice-warn';
    note.setAttribute('role', 'alert');
    note.textContent = '本页有您上次填写但未能保存的内容（例如登录超时前输入的）。';
    var restore = document.createElement('button');
    restore.type = 'button';
    restore.className = 'button primary';
    restore.textContent = '恢复未保存的内容';
    var discard = document.createElement('button');
    discard.type = 'button';
    discard.className = 'button';
    discard.textContent = '不恢复';
    note.appendChild(document.createElement('br'));
    note.appendChild(restore);
    note.appendChild(document.createTextNode(' '));
    note.appendChild(discard);
    form.insertBefore(note, form.firstChild);
    restore.addEventListener('click', function () {
      kept.forEach(function (field) {
        form.querySelectorAll('[name="' + field[0].replace(/"/g, '') + '"]').forEach(function (input) {
          if (input.type === 'radio' || input.type === 'checkbox') input.checked = input.value === field[1];
          else input.value = field[1];
        });
      });
      note.remove();
      form.dispatchEvent(new Event('input', { bubbles: true }));
    });
    discard.addEventListener('click', function () {
      dropCopy();
      note.remove();
    });
  })();
  var stopped = false; // a conflict or an ended session: the member must act, saving again would not help
  var submitting = false;
  var edits = 0; // typing so far
  var saved = 0; // typing that the last good save included
  var inFlight = null; // the save under way (a promise), if any

  function answersOf() {
    var answers = {};
    fieldsOf().forEach(function (field) {
      var path = field[0].match(/^answers((?:\[[^\]]*\])+)$/);
      var value = field[1];
      if (!path || value === '') return;
      var keys = path[1].slice(1, -1).split('][');
      var node = answers;
      for (var i = 0; i < keys.length - 1; i++) node = node[keys[i]] = node[keys[i]] || {};
      node[keys[keys.length - 1]] = value;
    });
    return answers;
  }

  function later(ms) {
    clearTimeout(timer);
    timer = setTimeout(save, ms);
  }

  function save() {
    timer = null;
    if (stopped || submitting || inFlight || saved === edits) return;
    var sending = edits;
    status.textContent = '正在保存…';
    inFlight = fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-csrf-token': token },
      body: JSON.stringify({ answers: answersOf(), version: Number(versionInput.value) }),
    }).then(function (res) {
      return res.json().then(function (body) {
        if (res.ok) {
          versionInput.value = body.version;
          saved = sending;
          if (saved === edits) dropCopy();
          status.textContent = saved === edits ? '已自动保存（第' + body.version + '版）' : '正在保存…';
        } else {
          if (res.status === 409 || res.status === 401 || res.status === 403) stopped = true;
          status.textContent = (body.message || '自动保存失败') + (stopped ? '' : '（稍后会再试）');
          if (res.status === 401) status.textContent += '您填写的内容已暂存在本页，重新登录后回到本页即可恢复。';
        }
      });
    }).catch(function () {
      status.textContent = '网络中断，未能自动保存，恢复后会再试；也可点“保存草稿”。';
    }).then(function () {
      inFlight = null;
      // What was typed while this save was under way (or a save that failed) goes next.
      if (!stopped && !submitting && saved !== edits && !timer) later(saved === sending ? 0 : 5000);
    });
  }

  form.addEventListener('input', function () {
    edits++;
    keepCopy();
    if (!stopped) later(1000);
  });

  // The form's own buttons send the whole sheet with its version: wait for a save under way,
  // whose answer carries the version to send. This runs after the confirmation (registered
  // earlier on the document), so a declined confirmation sends nothing.
  document.addEventListener('submit', function (event) {
    if (event.target !== form || event.defaultPrevented) return;
    // The copy stays until the server has the sheet: a submission may yet meet an ended session.
    submitting = true;
    clearTimeout(timer);
    if (!inFlight) return;
    event.preventDefault();
    var button = event.submitter;
    inFlight.then(function () {
      if (button && button.getAttribute('formaction')) form.setAttribute('action', button.getAttribute('formaction'));
      form.submit();
    });
  });

  window.addEventListener('beforeunload', function (event) {
    if (submitting || saved === edits) return;
    event.preventDefault();
    event.returnValue = '';
  });
})();

// Live regions that refresh themselves (the hall display, a batch's progress): the element with
// data-refresh="<seconds>" is fetched again and swapped in place, without reloading the page,
// and a button lets the reader pause it (WCAG 2.2.1). When the fresh copy no longer carries
// data-refresh (a finished batch), refreshing stops.
(function () {
  var live = document.querySelector('[data-refresh]');
  if (!live || !window.fetch || !window.DOMParser) return;
  var seconds = Math.max(2, Number(live.getAttribute('data-refresh')) || 60);
  var paused = false;
  var toggle = document.createElement('button');
  toggle.type = 'button';
  toggle.className = 'button refresh-toggle';
  toggle.textContent = '暂停自动刷新';
  toggle.addEventListener('click', function () {
    paused = !paused;
    toggle.textContent = paused ? '恢复自动刷新' : '暂停自动刷新';
  });
  live.parentNode.insertBefore(toggle, live);
  // A screen left running must not show old figures as if current: say so when a refresh fails
  // (the session ended, the network or the service is down), and clear it once one succeeds.
  var stale = document.createElement('p');
  stale.className = 'notice notice-error';
  stale.setAttribute('role', 'alert');
  stale.hidden = true;
  live.parentNode.insertBefore(stale, live);
  function failed(why) {
    stale.textContent = '以下内容未能更新（' + why + '），显示的是 ' + new Date().toLocaleTimeString('zh-CN') + ' 以前的数据。';
    stale.hidden = false;
  }
  // One fetch at a time, the next only after the last has come back; none while the tab is hidden.
  function refresh() {
    if (paused || document.hidden) return setTimeout(refresh, seconds * 1000);
    fetch(location.href, { credentials: 'same-origin' }).then(function (res) {
      if (res.redirected && /\/login/.test(res.url)) { failed('登录已超时，请重新登录'); return null; }
      if (!res.ok) { failed('服务返回错误 ' + res.status); return null; }
      return res.text();
    }).then(function (html) {
      var fresh = html && new DOMParser().parseFromString(html, 'text/html').getElementById(live.id);
      if (fresh) {
        live.replaceWith(fresh);
        live = fresh;
        stale.hidden = true;
        if (!fresh.hasAttribute('data-refresh')) { toggle.remove(); return; }
      } else if (html) {
        failed('页面内容异常，请刷新页面');
      }
      setTimeout(refresh, seconds * 1000);
    }).catch(function () {
      failed('网络中断');
      setTimeout(refresh, seconds * 1000);
    });
  }
  setTimeout(refresh, seconds * 1000);
})();
