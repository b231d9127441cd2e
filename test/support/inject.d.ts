// Importing vitest makes this file a module, so the block below augments vitest's types (rather than
// declaring a new module) and loads them even when only vitest/node is imported elsewhere.
import 'vitest';

// Types what test/support/dynamodb-global-setup.ts provides, so `inject('dynamodbEndpoint')` is a string.
declare module 'vitest' {
  export interface ProvidedContext {
    dynamodbEndpoint: string;
  }
}
