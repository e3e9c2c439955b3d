// Dashboard charts: Chart.js (served from the installed npm package at /vendor/chart.js),
// drawn from the figures the page carries as JSON. The table below the charts holds the same numbers.
(function () {
  'use strict';
  var source = document.getElementById('dashboard-data');
  if (!source || typeof window.Chart === 'undefined') return;
  var f = JSON.parse(source.textContent);
  var red = '#b3261e', ink = '#8b1a1a';
  function bar(id, rows, color, horizontal, fractional) {
    var canvas = document.getElementById(id);
    if (!canvas) return;
    new window.Chart(canvas, {
      type: 'bar',
      data: { labels: rows.map(function (r) { return r.label; }), datasets: [{ data: rows.map(function (r) { return r.count !== undefined ? r.count : r.averageDays; }), backgroundColor: color }] },
      options: { indexAxis: horizontal ? 'y' : 'x', plugins: { legend: { display: false } }, scales: { x: { beginAtZero: true, ticks: fractional ? {} : { precision: 0 } }, y: { beginAtZero: true, ticks: fractional ? {} : { precision: 0 } } }, animation: false }
    });
  }
  bar('chart-status', f.byStatus, ink, false);
  bar('chart-category', f.byCategory, ink, true);
  bar('chart-department', f.byDepartment.slice(0, 10), ink, true);
  bar('chart-stages', f.stageDays, '#5b6b7f', true, true);
  bar('chart-overdue', f.overdueByDepartment, red, true);
  bar('chart-seats', f.seatsByCategory, '#2f6f4f', true);
})();
