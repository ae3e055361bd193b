/** Placeholder while issue 8 builds this screen. */
export function CapturesScreen() {
  return <p>Coming in this change.</p>;
}
