/** Placeholder while issue 8 builds this screen. */
export function CameraTab() {
  return <p>Coming in this change.</p>;
}
