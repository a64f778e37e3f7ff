/** The header LimaCharlie puts an extension call's body signature in. */
export const EXT_SIGNATURE_HEADER = 'lc-ext-sig';
