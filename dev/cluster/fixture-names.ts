/**
 * Names of the seeded scenario objects (`fixtures/*.yaml`). Tests across the project refer to these
 * rather than to string literals, so a renamed fixture breaks loudly.
 */
export const READY_NODES = ['node-1', 'node-2'] as const;
export const NOT_READY_NODE = 'node-3';

export const SHOP_NAMESPACE = 'shop';
export const FRONTEND_DEPLOYMENT = 'frontend';
export const FRONTEND_REPLICASET = 'frontend-6d9f7c8b5';
export const FRONTEND_PODS = ['frontend-6d9f7c8b5-4xk2p', 'frontend-6d9f7c8b5-9wq7n'] as const;
export const FRONTEND_SERVICE = 'frontend';
export const CHECKOUT_DEPLOYMENT = 'checkout';
export const CHECKOUT_SERVICE = 'checkout';
/** CrashLoopBackOff, 7 restarts, last exit 1; its logs end in a payments-db connection panic. */
export const CHECKOUT_POD = 'checkout-7d4b9c6f5-x2x9z';
export const CHECKOUT_CONTAINER = 'checkout';
/** STATUS OOMKilled (exit 137), memory limit 512Mi. */
export const CART_POD = 'cart-5c8d7b6a4-q7w2e';
export const CART_CONTAINER = 'cart';

export const PAYMENTS_NAMESPACE = 'payments';
/** ImagePullBackOff on PAYMENTS_API_IMAGE (tag not found). */
export const PAYMENTS_API_POD = 'payments-api-6f7c8d9b5-k3j4h';
export const PAYMENTS_API_CONTAINER = 'payments-api';
export const PAYMENTS_API_IMAGE = 'registry.example.com/payments/api:2.7.0-rc1';
/** Pending and Unschedulable, with a FailedScheduling event. */
export const LEDGER_POD = 'ledger-0';
export const PAYMENTS_DB_SECRET = 'payments-db';
/** Value inside the payments-db Secret: it must never appear in anything the MCP server returns. */
export const SECRET_CANARY = 'CANARY-SECRET-d41d8cd98f';
/** Last line of the checkout container's previous (and current) log before the stack trace. */
export const CHECKOUT_CRASH_LINE = 'panic: dial tcp 10.0.3.7:5432: connect: connection refused';
