/**
 * CSV (formula) injection: a spreadsheet runs a cell that starts with = + - @ as a formula, and tab / CR can
 * smuggle one past a trim (OWASP "CSV Injection"). Every CSV the app writes passes this to papaparse's
 * `escapeFormulae`, which prefixes such text cells with ' and quotes them. It tests strings only: numbers
 * (a negative probability difference, a -1 index) stay numbers. No `s`/`m` flag is needed: `^` without `m`
 * anchors at the start of the cell, so a multi-line cell that starts with = is caught too.
 */
export const FORMULA_START = /^[=+\-@\t\r]/;
