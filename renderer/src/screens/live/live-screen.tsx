/** Placeholder while issue 8 builds this screen. */
export function LiveScreen() {
  return <p>Coming in this change.</p>;
}
