import { CfnWebACL, CfnWebACLAssociation } from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';

export interface RateLimitWafProps {
  /** ARN of the API Gateway stage to protect. */
  readonly stageArn: string;
  /**
   * Requests per IP per 5 minutes before WAF blocks the IP.
   * @default 500
   */
  readonly limitPer5Minutes?: number;
}

/** A WAFv2 web ACL on the API stage with a per-IP rate-based rule. */
export class RateLimitWaf extends Construct {
  readonly webAcl: CfnWebACL;

  constructor(scope: Construct, id: string, props: RateLimitWafProps) {
    super(scope, id);
    const limit = props.limitPer5Minutes ?? 500;
    if (!Number.isInteger(limit) || limit < 10 || limit > 2_000_000_000) {
      throw new Error(`waf limitPer5Minutes must be an integer from 10 to 2e9, got ${limit}`);
    }
    const visibility = (metricName: string) => ({
      cloudWatchMetricsEnabled: true,
      metricName,
      sampledRequestsEnabled: true,
    });
    this.webAcl = new CfnWebACL(this, 'WebAcl', {
      scope: 'REGIONAL',
      defaultAction: { allow: {} },
      visibilityConfig: visibility('password-bff'),
      rules: [
        {
          name: 'per-ip-rate-limit',
          priority: 0,
          action: { block: {} },
          statement: { rateBasedStatement: { limit, aggregateKeyType: 'IP' } },
          visibilityConfig: visibility('password-bff-rate-limit'),
        },
      ],
    });
    new CfnWebACLAssociation(this, 'Association', { resourceArn: props.stageArn, webAclArn: this.webAcl.attrArn });
  }
}
