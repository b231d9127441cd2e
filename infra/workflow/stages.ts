/**
 * The Lambda-backed stages of apply-to-disburse. The CDK stack makes one function per entry;
 * the local runtime maps each Task state whose function has this name to the same module.
 */
export const WORKFLOW_STAGES = {
  CollectData: 'functions/workflow/collect-data/handler.ts',
  VerifyIdentity: 'functions/workflow/verify-identity/handler.ts',
  Screen: 'functions/workflow/screen/handler.ts',
  Score: 'functions/workflow/score/handler.ts',
  PriceAndLimit: 'functions/workflow/price-and-limit/handler.ts',
  Decide: 'functions/workflow/decide/handler.ts',
  RequestReview: 'functions/workflow/request-review/handler.ts',
  MakeOffer: 'functions/workflow/make-offer/handler.ts',
  RequestSignature: 'functions/workflow/request-signature/handler.ts',
  Activate: 'functions/workflow/activate/handler.ts',
  ExpireApplication: 'functions/workflow/expire/handler.ts',
  RecordFailure: 'functions/workflow/record-failure/handler.ts',
} as const;

export type WorkflowStage = keyof typeof WORKFLOW_STAGES;
export const WORKFLOW_STAGE_NAMES = Object.keys(WORKFLOW_STAGES) as WorkflowStage[];

/** Errors a retry cannot fix: the state machine fails over to RecordFailure at once. */
export const NON_RETRYABLE_ERRORS = [
  'ConflictError',
  'NotFoundError',
  'ValidationError',
  'InvalidTaskInputError',
];
