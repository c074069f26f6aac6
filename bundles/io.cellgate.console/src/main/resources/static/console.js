// CellGate console: refreshes the live values of the dashboard from the REST API (same session, GET only).
// No framework, no build step; the Content-Security-Policy allows only this file as script.
(function () {
  'use strict';
  var table = document.querySelector('table[data-refresh]');
  if (!table) {
    return;
  }
  var url = table.getAttribute('data-refresh');
  function utc(iso) {
    return iso ? iso.replace('T', ' ').replace(/\.\d+Z$/, 'Z').replace('Z', ' UTC') : '';
  }
  function refresh() {
    fetch(url, { credentials: 'same-origin', headers: { 'Accept': 'application/json' } })
      .then(function (r) {
        if (r.status === 401 || r.status === 403) {
          window.location.assign('/login');
          throw new Error('session ended');
        }
        return r.json();
      })
      .then(function (body) {
        body.tags.forEach(function (t) {
          var row = table.querySelector('tr[data-path="' + CSS.escape(t.path) + '"]');
          if (!row) {
            return;
          }
          var good = t.quality === 'GOOD';
          row.querySelector('.value').textContent = good && t.value !== undefined ? String(t.value) : '';
          var q = row.querySelector('.quality');
          q.textContent = t.display || 'no value yet';
          q.className = 'quality ' + (t.quality ? t.quality.toLowerCase() : '');
          row.querySelector('.time').textContent = utc(t.sourceTime);
        });
        table.setAttribute('data-refreshed', new Date().toISOString());
      })
      .catch(function () { /* the next refresh tries again */ });
  }
  window.setInterval(refresh, 2000);
})();

// Security page: destructive buttons ask first (data-confirm), and a chosen PEM file fills its textarea (data-fill).
(function () {
  'use strict';
  document.addEventListener('click', function (e) {
    var button = e.target.closest ? e.target.closest('button[data-confirm]') : null;
    if (button && !window.confirm(button.getAttribute('data-confirm'))) {
      e.preventDefault();
    }
  });
  document.querySelectorAll('input[type=file][data-fill]').forEach(function (input) {
    input.addEventListener('change', function () {
      var target = document.getElementById(input.getAttribute('data-fill'));
      if (input.files.length && target) {
        input.files[0].text().then(function (text) { target.value = text; });
      }
    });
  });
})();

// Devices page: a chosen CSV file is read into the import form's text area (the form posts text, not a file).
(function () {
  'use strict';
  document.querySelectorAll('input[type=file][data-csv-into]').forEach(function (input) {
    input.addEventListener('change', function () {
      var target = document.getElementById(input.getAttribute('data-csv-into'));
      if (!target || !input.files || !input.files[0]) {
        return;
      }
      input.files[0].text().then(function (text) { target.value = text; });
    });
  });
})();
