import type { Product } from './decisioning/types.js';
import type { MoneyJson } from './money.js';

/**
 * What the apply-to-disburse workflow books. Servicing (draw-downs, schedules, accrual,
 * repayments, the ledger) builds on these records; amounts are decimal strings in CNY.
 */
export interface CreditLineRecord {
  creditLineId: string;
  applicationId: string;
  uscc: string;
  status: 'ACTIVE' | 'FROZEN' | 'EXPIRED' | 'CLOSED';
  limit: MoneyJson;
  used: MoneyJson;
  available: MoneyJson;
  annualRate: string;
  openedAt: string;
  expiresOn: string;
}

export interface LoanRecord {
  loanId: string;
  applicationId: string;
  creditLineId?: string;
  uscc: string;
  product: Product;
  status: 'ACTIVE' | 'SETTLED' | 'WRITTEN_OFF';
  principal: MoneyJson;
  outstandingPrincipal: MoneyJson;
  annualRate: string;
  termMonths: number;
  disbursedAt: string;
  maturityDate: string;
  transferId: string;
  lastMonitoredOn?: string;
}
