/** A failure whose message is written for the user and is sent to the main process as it is. */
export class UserError extends Error {}
