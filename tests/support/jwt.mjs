// Signs identity tokens as a company's backend would: compact JWTs, HMAC-SHA256
// over `header.payload` with a workspace identity secret (its UTF-8 bytes),
// base64url without padding. Also forges the tokens Mend must refuse: other
// algorithms, `alg: "none"`, and claims changed after signing.
import { createHmac } from "node:crypto";

const encode = (json) => Buffer.from(JSON.stringify(json)).toString("base64url");

/**
 * A compact JWT of `claims`, with header `{ alg, kid, typ: "JWT", ...header }`
 * (a member set to `undefined` in `header`, or an undefined `kid`, is left out).
 * `alg: "none"` gets an empty signature; any other `alg` is still signed with
 * HMAC-SHA256, so a refusal shows the algorithm alone was the reason.
 */
export function signIdentity(claims, { secret, kid, alg = "HS256", header = {} } = {}) {
  const input = `${encode({ alg, kid, typ: "JWT", ...header })}.${encode(claims)}`;
  const signature = alg === "none" ? "" : createHmac("sha256", secret).update(input).digest("base64url");
  return `${input}.${signature}`;
}

/**
 * `token` with its claims merged with `changes` (an `undefined` value removes
 * that claim), keeping the original header and signature.
 */
export function tamper(token, changes) {
  const [header, payload, signature] = token.split(".");
  const claims = { ...JSON.parse(Buffer.from(payload, "base64url").toString("utf8")), ...changes };
  return `${header}.${encode(claims)}.${signature}`;
}
