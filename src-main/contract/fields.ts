// Argument fields several channels share.
import { z } from 'zod';

export const operatorNo = z.string().regex(/^\d{2,8}$/, 'operator number: 2-8 digits');
export const password = z.string().min(1).max(64);
export const personName = z.string().trim().min(1).max(32);
/** A local day, YYYY-MM-DD. */
export const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
/** A phone number or a wallet account id. */
export const walletAccount = z.string().regex(/^\d{11,19}$/, 'account: 11-19 digits');
export const transactionId = z.number().int().positive();
export const slipCopy = z.enum(['customer', 'merchant']);
export const noArgs = () => z.object({}).strict();
