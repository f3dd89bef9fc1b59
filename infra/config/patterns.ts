/** Shapes of AWS identifiers accepted in stack files. */

/** An EC2 instance type, e.g. `p5.48xlarge`. */
export const INSTANCE_TYPE = /^[a-z][a-z0-9-]*\.[a-z0-9]+$/;
/** An AMI id, e.g. `ami-0123456789abcdef0`. */
export const AMI_ID = /^ami-[0-9a-f]{8,17}$/;
