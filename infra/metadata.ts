/** CloudFormation metadata key on every function: the repo-relative handler module (read by the local stack). */
export const ENTRY_METADATA_KEY = 'crescendo:entry';
/** CloudFormation metadata key on every function: whether its bundle carries the Gemini SDK (mayCallGemini; read by the bench). */
export const GEMINI_METADATA_KEY = 'crescendo:gemini';
