/** The message for a `?notice=` key from a page's own list; unknown keys (even "constructor") show nothing. */
export function noticeFrom(notices: Record<string, string>, key: string | undefined): string | null {
  return key !== undefined && Object.hasOwn(notices, key) ? notices[key] : null;
}
