/* global $, chai */
// Runs one of freeCodeCamp's checks (a hint's `code` in freeCodeCamp/hints.json)
// as freeCodeCamp's test frame does (FrameTestEvaluator, in freeCodeCamp's
// test runner): the check's text is given to a direct eval, inside
// $(() => ...), where `code` is the submitted URL and `assert` is chai's; if
// it evaluates to a function, that function is awaited. The check passes if
// that all finishes without an error.
//
// hints.json keeps the checks in their top-level-await form, which runs only
// inside an async function; freeCodeCamp's older copies of the same checks are
// written `async () => { ... }` around the same body (see each lesson's
// `source`). Here the body, unchanged, is wrapped that way.
//
// A check that has not settled after `timeoutMs` fails, rather than hang the test.
window.runCheck = function runCheck(submittedUrl, body, timeoutMs) {
  // The check's code reads these three.
  const code = submittedUrl;
  const getUserInput = (name) => (name === 'url' ? submittedUrl : undefined);
  const assert = chai.assert;
  const testString = `async () => {\n${body}\n}`;

  const run = async () => {
    const test = await new Promise((resolve, reject) =>
      $(() => {
        try {
          resolve(eval(testString));
        } catch (err) {
          reject(err);
        }
      })
    );
    if (typeof test === 'function') {
      await test();
    }
  };
  let timer;
  const timeout = new Promise((resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`the check did not finish in ${timeoutMs} ms`)), timeoutMs);
  });
  return Promise.race([run(), timeout])
    .then(
      () => ({ pass: true, message: '' }),
      (err) => ({ pass: false, message: `${(err && err.name) || 'Error'}: ${(err && err.message) || err}` })
    )
    .finally(() => clearTimeout(timer));
};
