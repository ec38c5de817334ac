// One way for the API tests to call Mend and read its answer, and one way
// to check the error body every refusal carries.
import assert from "node:assert/strict";

/** The `Authorization` header for `token` (a key, a customer token, an identity token). */
export const bearer = (token) => ({ Authorization: `Bearer ${token}` });

/**
 * `method path` at the Mend at `base`, with `body` as JSON (or `raw` as it
 * is) and `token` as the bearer. Resolves to `{ status, headers, body, text }`:
 * `body` is the answer's JSON, its text where it is no JSON (a page), or
 * null when it is empty.
 */
export async function call(base, method, path, { body, raw, headers = {}, token } = {}) {
  const response = await fetch(base + path, {
    method,
    headers: {
      ...(body !== undefined || raw !== undefined ? { "Content-Type": "application/json" } : {}),
      ...(token ? bearer(token) : {}),
      ...headers,
    },
    body: raw ?? (body === undefined ? undefined : JSON.stringify(body)),
  });
  const text = await response.text();
  let parsed = null;
  if (text) {
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = text;
    }
  }
  return { status: response.status, headers: response.headers, body: parsed, text };
}

/** Like `call` with `token`, but fails the test unless Mend answers 2xx; resolves to the JSON (null for 204). */
export async function must(base, method, path, token, body) {
  const answer = await call(base, method, path, { token, body });
  assert.ok(answer.status >= 200 && answer.status < 300, `${method} ${path}: ${answer.status} ${answer.text}`);
  return answer.body;
}

/**
 * Checks a refusal: its status, its code, a message a person can act on,
 * and, when `field` is given (even as undefined), exactly that field.
 */
export function assertError(answer, status, code, ...field) {
  assert.equal(answer.status, status, JSON.stringify(answer.body));
  assert.equal(answer.body.error.code, code, JSON.stringify(answer.body));
  assert.ok(answer.body.error.message.length > 10, "an error says what to do");
  if (field.length > 0) assert.equal(answer.body.error.field, field[0], JSON.stringify(answer.body));
}
