import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Page } from "playwright-core";

/**
 * Reads the QR code on the page as a phone would: a picture of the rendered element,
 * decoded by zbarimg (Debian's zbar-tools).
 */
export async function scanQrCode(page: Page, selector = ".enrol__qr"): Promise<string> {
  const dir = mkdtempSync(path.join(tmpdir(), "laurel-qr-"));
  try {
    const file = path.join(dir, "qr.png");
    await page.locator(selector).screenshot({ path: file });
    return execFileSync("zbarimg", ["--raw", "-q", file], { encoding: "utf8" }).trim();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The secret of an otpauth:// URI, checked to be the kind every authenticator app reads. */
export function secretFromOtpauth(uri: string): string {
  const url = new URL(uri);
  if (url.protocol !== "otpauth:" || url.host !== "totp") throw new Error(`not a TOTP URI: ${uri}`);
  const secret = url.searchParams.get("secret");
  if (!secret) throw new Error(`no secret in ${uri}`);
  return secret;
}

/**
 * A code from oathtool, a real TOTP implementation. `stepsAhead` asks for a later 30-second
 * step (the server accepts one step of drift) so two sign-ins within one step do not reuse a code.
 */
export function oathtoolCode(secret: string, stepsAhead = 0): string {
  const args = ["--totp", "-b", secret];
  if (stepsAhead) args.push("-N", `now + ${stepsAhead * 30} seconds`);
  return execFileSync("oathtool", args, { encoding: "utf8" }).trim();
}
