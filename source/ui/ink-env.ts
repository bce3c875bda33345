/**
 * Ink decides once, when it is first imported, whether it runs "in CI" (the
 * `CI` or `CONTINUOUS_INTEGRATION` variable set to anything but "0"/"false").
 * In that mode it draws no frames at all until the app exits and ignores
 * resizes, which turns a full-screen terminal app into a blank screen. The TUI
 * only ever runs on an interactive terminal (the CLI sends everything else to
 * --headless), so hide those two variables from Ink while it loads and put
 * them back straight after: nothing else in the process sees a change.
 *
 * This module must be imported before the first import of 'ink' (render.tsx
 * imports it first); `restoreCiEnv()` runs once Ink has been evaluated.
 */
const CI_VARIABLES = ['CI', 'CONTINUOUS_INTEGRATION'] as const;

const saved = new Map<string, string>();
for (const name of CI_VARIABLES) {
  const value = process.env[name];
  if (value !== undefined) {
    saved.set(name, value);
    process.env[name] = '0';
  }
}

/** Put back the variables hidden while Ink loaded (idempotent). */
export function restoreCiEnv(): void {
  for (const [name, value] of saved) process.env[name] = value;
  saved.clear();
}
