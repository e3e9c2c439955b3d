/** Strings that have broken web software before: markup, template and SQL fragments, odd Unicode. */
export const INJECTION_CORPUS = [
  `<script>alert(1)</script>`, `"><img src=x onerror=alert(1)>`, `' onmouseover='alert(1)`, `javascript:alert(1)`,
  `{{constructor.constructor('return process')()}}`, `{{#each this}}{{/each}}`, `'; DROP TABLE audit_entry; --`, `1 OR 1=1`,
  '\u0000\u0001\u001f', '\ud800', '\u202e反转', '𠀀𠀁𩸽', 'a'.repeat(5000), '   ', '../../etc/passwd', '%00', '__proto__',
];
