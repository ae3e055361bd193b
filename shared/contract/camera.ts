/** Camera channels arrive with the pipeline (cameraStatus, captures, …). */
export const cameraChannels = {} as const;
