// properties/linearizability/: the linearizability checker (Wing & Gong / Lowe search with memoisation, a
// frontier search for what that cannot finish, P-compositionality), its sequential models (models/), its
// verdict and witness, and the verdict in words. The front door for every other folder.
export { checkLinearizable, type LinearizabilityOptions } from "./check.ts";
export { describeLinearizability, linearizabilityProperty, summaryLine, undecidedNames, verdictLine } from "./text.ts";
export { linearizabilityModels, modelNamed, type ModelName } from "./models/index.ts";
export type { AnyModel, LinearizabilityModel } from "./model.ts";
export type { LinearizabilityResult, Linearizable, NotLinearizable, OperationRef, PartitionFailure, Undecided } from "./result.ts";
