import {
  billingExportQuery,
  linesOfRows,
  parseTableRef,
} from './billingExport';

describe('parseTableRef', () => {
  it('reads project, dataset and table, domain-scoped projects too', () => {
    expect(
      parseTableRef(
        'my-project.billing.gcp_billing_export_v1_0123AB_4567CD_89EF01',
      ),
    ).toEqual({
      project: 'my-project',
      dataset: 'billing',
      table: 'gcp_billing_export_v1_0123AB_4567CD_89EF01',
    });
    expect(
      parseTableRef(
        'example.com:my-project.billing.gcp_billing_export_resource_v1_X',
      ).project,
    ).toBe('example.com:my-project');
  });

  it.each([
    'billing.table',
    'My-Project.billing.t',
    'p-roject.d.t`x',
    'p-roject.d-s.t',
    'p-roject.d.t; DROP',
  ])('rejects %s', ref =>
    expect(() => parseTableRef(ref)).toThrow(/is not a table reference/),
  );
});

describe('billingExportQuery', () => {
  it('queries the table with the window and label as parameters', () => {
    const sql = billingExportQuery(
      parseTableRef('my-project.billing.gcp_billing_export_v1_X'),
    );
    expect(sql).toContain('FROM `my-project.billing.gcp_billing_export_v1_X`');
    for (const param of ['@labelKey', '@startDay', '@endDay'])
      expect(sql).toContain(param);
    expect(sql).toMatch(/SUM\(cost\) AS cost/);
    expect(sql).toMatch(/SELECT SUM\(c\.amount\) FROM UNNEST\(credits\)/);
    expect(sql).toMatch(
      /GROUP BY billing_account_id, project_id, usage_day, label_value, group_service_id, group_sku_id, currency/,
    );
  });
});

describe('linesOfRows', () => {
  const base = {
    billing_account_id: '0123AB-4567CD-89EF01',
    project_id: 'ml-prod',
    usage_day: { value: '2025-12-31' },
    label_value: 'llama',
    service_id: null,
    sku_id: null,
    service_description: null,
    sku_description: null,
    currency: 'USD',
    cost: 10,
    credits: -1,
  };

  it('makes one line per account, day and resource, the day ending next UTC midnight', () => {
    const lines = linesOfRows(
      [base, { ...base, billing_account_id: 'OTHER', cost: 2, credits: 0 }],
      {
        source: 'gcp-billing-export',
        labelKey: 'modelfleet-io-model',
      },
    );
    expect(lines).toEqual([
      {
        source: 'gcp-billing-export',
        provider: 'gcp',
        account: 'ml-prod',
        periodStart: '2025-12-31T00:00:00.000Z',
        periodEnd: '2026-01-01T00:00:00.000Z',
        resourceId: 'label:modelfleet-io-model=llama',
        tags: {
          'billing-account': '0123AB-4567CD-89EF01',
          'modelfleet-io-model': 'llama',
          'modelfleet.io/model': 'llama',
        },
        costUsd: 11,
      },
    ]);
  });

  it('names the row and column of a bad value', () => {
    const opts = { source: 's', labelKey: 'k' };
    expect(() => linesOfRows([{ ...base, currency: 'JPY' }], opts)).toThrow(
      /^rows\[0\]\.currency is 'JPY'/,
    );
    expect(() =>
      linesOfRows([base, { ...base, billing_account_id: null }], opts),
    ).toThrow('rows[1].billing_account_id is empty');
    expect(() => linesOfRows([{ ...base, credits: 'x' }], opts)).toThrow(
      'rows[0].credits "x" is not a number',
    );
  });
});
