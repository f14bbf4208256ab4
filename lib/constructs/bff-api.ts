import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import {
  AccessLogFormat,
  AuthorizationType,
  EndpointType,
  LambdaIntegration,
  LogGroupLogDestination,
  type MethodOptions,
  type Method,
  MethodLoggingLevel,
  MockIntegration,
  PassthroughBehavior,
  ResponseType,
  RestApi,
  SecurityPolicy,
} from 'aws-cdk-lib/aws-apigateway';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IUserPool, IUserPoolClient } from 'aws-cdk-lib/aws-cognito';
import { Certificate } from 'aws-cdk-lib/aws-certificatemanager';
import { ARecord, HostedZone, RecordTarget } from 'aws-cdk-lib/aws-route53';
import { ApiGatewayDomain } from 'aws-cdk-lib/aws-route53-targets';
import { type ISecret, Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { AttributeType, Billing, TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import { openApiDocument } from '../../lambdas/openapi';
import { routeList } from '../../lambdas/routes';
import { noticeOn, toEnvironment } from '../../lambdas/shared/config';
import { ALLOWED_REQUEST_HEADERS } from '../../lambdas/shared/session';
import { functionKindOf } from '../../lambdas/shared/route';
import { PROBLEM_CONTENT_TYPE, problemType } from '../../lambdas/shared/problem';
import { NO_OPERATION, SECRET_ACTION } from '../../lambdas/shared/route';
import { type Settings, type ThrottleSettings, routeThrottles } from '../../lambdas/shared/settings';
import { BffFunction } from './bff-function';

export interface BffApiProps {
  /** The pool the functions call and whose access tokens the authorizer accepts. */
  readonly userPool: IUserPool;
  /** The confidential app client the functions act as. */
  readonly userPoolClient: IUserPoolClient;
  /** The Secrets Manager secret of the client's secret: the functions that compute a SecretHash read it, only them. */
  readonly clientSecret: ISecret;
  /** Origins, redirect allowlist, metadata keys, admin group and throttling. */
  readonly settings: Settings;
}

/** One answer API Gateway makes itself: its status, and the problem body it carries. */
export interface GatewayAnswer {
  readonly type: ResponseType;
  /** The status sent, and stated in the body; absent for the fallbacks, which cannot know it. */
  readonly status?: number;
  readonly code: string;
  readonly title: string;
  readonly detail: string;
  /** Seconds, on the 429s. */
  readonly retryAfter?: string;
}

/**
 * Every response type API Gateway can produce has its own entry, so that its body states the
 * status it is sent with (https://docs.aws.amazon.com/apigateway/latest/developerguide/supported-gateway-response-types.html).
 * Unknown routes (and unknown methods of a route) reach MISSING_AUTHENTICATION_TOKEN, which API
 * Gateway sends as a 403 by default: here it is the 404 it means. The two fallbacks catch types
 * AWS may add later: they keep API Gateway's own status and say which type it was instead of
 * claiming a status.
 */
export const GATEWAY_ANSWERS: readonly GatewayAnswer[] = [
  {
    type: ResponseType.UNAUTHORIZED,
    status: 401,
    code: 'NotAuthorized',
    title: 'Unauthorized',
    detail: 'A valid access token is required.',
  },
  { type: ResponseType.ACCESS_DENIED, status: 403, code: 'Forbidden', title: 'Forbidden', detail: 'Access denied.' },
  {
    type: ResponseType.EXPIRED_TOKEN,
    status: 403,
    code: 'Forbidden',
    title: 'Forbidden',
    detail: 'The request signature has expired.',
  },
  {
    type: ResponseType.INVALID_SIGNATURE,
    status: 403,
    code: 'Forbidden',
    title: 'Forbidden',
    detail: 'The request signature is not valid.',
  },
  {
    type: ResponseType.INVALID_API_KEY,
    status: 403,
    code: 'Forbidden',
    title: 'Forbidden',
    detail: 'The API key is not valid.',
  },
  {
    type: ResponseType.WAF_FILTERED,
    status: 403,
    code: 'RequestBlocked',
    title: 'Forbidden',
    detail: 'The firewall blocked this request.',
  },
  {
    type: ResponseType.MISSING_AUTHENTICATION_TOKEN,
    status: 404,
    code: 'NotFound',
    title: 'Not Found',
    detail: 'No such route: check the method and the path.',
  },
  {
    type: ResponseType.RESOURCE_NOT_FOUND,
    status: 404,
    code: 'NotFound',
    title: 'Not Found',
    detail: 'No such resource.',
  },
  {
    type: ResponseType.REQUEST_TOO_LARGE,
    status: 413,
    code: 'PayloadTooLarge',
    title: 'Payload Too Large',
    detail: 'The request is too large.',
  },
  {
    type: ResponseType.UNSUPPORTED_MEDIA_TYPE,
    status: 415,
    code: 'UnsupportedMediaType',
    title: 'Unsupported Media Type',
    detail: 'Send the body as application/json.',
  },
  {
    type: ResponseType.BAD_REQUEST_BODY,
    status: 400,
    code: 'ValidationFailed',
    title: 'Bad Request',
    detail: 'The body is not valid.',
  },
  {
    type: ResponseType.BAD_REQUEST_PARAMETERS,
    status: 400,
    code: 'ValidationFailed',
    title: 'Bad Request',
    detail: 'The request parameters are not valid.',
  },
  {
    type: ResponseType.THROTTLED,
    status: 429,
    code: 'TooManyRequests',
    title: 'Too Many Requests',
    detail: 'Too many requests; slow down.',
    retryAfter: '1',
  },
  {
    type: ResponseType.QUOTA_EXCEEDED,
    status: 429,
    code: 'TooManyRequests',
    title: 'Too Many Requests',
    detail: 'Too many requests; slow down.',
    retryAfter: '1',
  },
  {
    type: ResponseType.INTEGRATION_FAILURE,
    status: 502,
    code: 'Upstream',
    title: 'Bad Gateway',
    detail: 'The service failed. Please try again.',
  },
  {
    type: ResponseType.INTEGRATION_TIMEOUT,
    status: 504,
    code: 'GatewayTimeout',
    title: 'Gateway Timeout',
    detail: 'The service did not answer in time. Please try again.',
  },
  {
    type: ResponseType.AUTHORIZER_FAILURE,
    status: 500,
    code: 'Internal',
    title: 'Internal Server Error',
    detail: 'The service could not process the request.',
  },
  {
    type: ResponseType.AUTHORIZER_CONFIGURATION_ERROR,
    status: 500,
    code: 'Internal',
    title: 'Internal Server Error',
    detail: 'The service could not process the request.',
  },
  {
    type: ResponseType.API_CONFIGURATION_ERROR,
    status: 500,
    code: 'Internal',
    title: 'Internal Server Error',
    detail: 'The service could not process the request.',
  },
  {
    type: ResponseType.DEFAULT_4XX,
    code: 'GatewayRejected',
    title: 'Request Rejected',
    detail: 'API Gateway rejected the request.',
  },
  {
    type: ResponseType.DEFAULT_5XX,
    code: 'GatewayError',
    title: 'Gateway Error',
    detail: 'API Gateway failed. Please try again.',
  },
];

/**
 * The problem body as a mapping template. The fallbacks carry `responseType`
 * ($context.error.responseType, one of API Gateway's type names) instead of a status.
 */
const problemTemplate = (a: GatewayAnswer) =>
  JSON.stringify({
    type: problemType(a.code),
    title: a.title,
    ...(a.status === undefined ? {} : { status: a.status }),
    detail: a.detail,
    code: a.code,
    ...(a.status === undefined ? { responseType: '$context.error.responseType' } : {}),
  });

/**
 * The REST API generated from the route table: one function per route, each allowed exactly the
 * Cognito actions its route lists, on this pool; the functions of authenticated routes verify the
 * access token (bearer header or session cookie) themselves.
 */
export class BffApi extends Construct {
  readonly api: RestApi;
  readonly functions: Record<string, BffFunction> = {};
  /** Methods anyone may call (public password routes and the OpenAPI document). */
  readonly publicMethods: Method[] = [];
  /**
   * The key the session cookies are sealed with (lambdas/shared/session-key.ts): generated at the first
   * deploy, readable only by the functions that handle sessions.
   */
  readonly sessionKey: Secret;
  /** The per-user code cap's counters (lambdas/shared/code-cap.ts); absent when bff:verificationCodeCap is off. */
  readonly codeCapTable?: TableV2;

  constructor(scope: Construct, id: string, props: BffApiProps) {
    super(scope, id);
    this.api = this.configureRestApi(props.settings);
    this.configureGatewayResponses(props.settings.retryAfterSeconds);
    this.sessionKey = this.configureSessionKey();
    if (props.settings.verificationCodeCap.max > 0) this.codeCapTable = this.configureCodeCapTable();
    this.configureRoutes(props);
    this.configureOpenApi();
    this.configureDomain(props.settings);
  }

  /**
   * bff:domain: the API on a custom domain of the app's site (the stage at its root, so the refresh cookie's
   * Path is `/auth/`), TLS 1.2, and an alias record when the hosted zone is given (by id and name: no lookup).
   */
  private configureDomain(settings: Settings): void {
    const domain = settings.domain;
    if (!domain) return;
    const name = this.api.addDomainName('Domain', {
      domainName: domain.name,
      certificate: Certificate.fromCertificateArn(this, 'Certificate', domain.certificateArn),
      endpointType: EndpointType.REGIONAL,
      securityPolicy: SecurityPolicy.TLS_1_2,
    });
    if (!domain.hostedZone) return;
    const zone = HostedZone.fromHostedZoneAttributes(this, 'Zone', {
      hostedZoneId: domain.hostedZone.id,
      zoneName: domain.hostedZone.name,
    });
    const target = RecordTarget.fromAlias(new ApiGatewayDomain(name));
    new ARecord(this, 'DomainRecord', { zone, recordName: domain.name, target });
  }

  /** The REST API and its stage: throttling per route class, access logs without bodies, CORS. */
  private configureRestApi(settings: Settings): RestApi {
    const accessLogs = new LogGroup(this, 'AccessLogs', {
      retention: RetentionDays.THREE_MONTHS,
      removalPolicy: settings.removalPolicy === 'retain' ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    const throttle = (t: ThrottleSettings) => ({
      throttlingRateLimit: t.rateLimit,
      throttlingBurstLimit: t.burstLimit,
    });
    // Every route its own method throttle, below its share of the Cognito quotas it spends.
    const throttles = routeThrottles(settings, routeList);
    const methodOptions: Record<string, MethodOptions & ReturnType<typeof throttle>> = {};
    for (const route of routeList) {
      const limit = throttles[route.name];
      if (limit) methodOptions[`${route.path}/${route.method}`] = throttle(limit);
    }
    return new RestApi(this, 'Api', {
      restApiName: 'password-bff',
      description: 'Backend-for-frontend for Cognito passwords and self-service account calls',
      endpointTypes: [EndpointType.REGIONAL],
      // API Gateway's logging role is one per account and Region, shared by every REST API there:
      // set only when asked (bff:apiGatewayAccountRole), and kept when the stack goes.
      cloudWatchRole: settings.apiGatewayAccountRole,
      ...(settings.apiGatewayAccountRole ? { cloudWatchRoleRemovalPolicy: RemovalPolicy.RETAIN } : {}),
      deployOptions: {
        stageName: 'v1',
        tracingEnabled: true,
        ...throttle(settings.throttle),
        methodOptions,
        // Request and response bodies are never logged: dataTrace stays off.
        dataTraceEnabled: false,
        loggingLevel: MethodLoggingLevel.ERROR,
        accessLogDestination: new LogGroupLogDestination(accessLogs),
        // No query string, no body, no Authorization header: only who, what route, what status.
        accessLogFormat: AccessLogFormat.custom(
          JSON.stringify({
            requestId: '$context.requestId',
            ip: '$context.identity.sourceIp',
            requestTime: '$context.requestTime',
            httpMethod: '$context.httpMethod',
            resourcePath: '$context.resourcePath',
            status: '$context.status',
            responseLength: '$context.responseLength',
            integrationLatency: '$context.integrationLatency',
            errorType: '$context.error.responseType',
          }),
        ),
      },
      // Preflight: X-BFF-Session (cookie mode) among the allowed headers, and credentials (the session
      // cookies) for the allowlisted origins. CDK's mock answers the first origin statically and an other
      // allowlisted one exactly (a mapping template): an unknown origin is never echoed, so its page fails
      // the preflight and cannot send a cookie-mode request at all.
      defaultCorsPreflightOptions: {
        allowOrigins: [...settings.allowedOrigins],
        allowMethods: ['GET', 'POST', 'PATCH', 'DELETE', 'OPTIONS'],
        allowHeaders: [...ALLOWED_REQUEST_HEADERS],
        allowCredentials: true,
        maxAge: Duration.minutes(10),
      },
    });
  }

  /**
   * Gateway-made errors as problem+json that states the status it is sent with. CORS: a gateway
   * response cannot test the Origin against the allowlist, so it answers `*` and never
   * Access-Control-Allow-Credentials: its body is a fixed public text with no user data, a
   * browser may read it from any page (as curl can) and see a 401 as a 401 rather than as a CORS
   * failure, and `*` cannot be combined with credentials (a reflected origin could).
   */
  private configureGatewayResponses(retryAfterSeconds: number): void {
    const headers = {
      'Content-Type': `'${PROBLEM_CONTENT_TYPE}'`,
      'Access-Control-Allow-Origin': "'*'",
      'Access-Control-Expose-Headers': "'Retry-After'",
      'X-Content-Type-Options': "'nosniff'",
      'Cache-Control': "'no-store'",
    };
    for (const answer of GATEWAY_ANSWERS) {
      this.api.addGatewayResponse(
        pascal(answer.type.responseType.toLowerCase().replace(/_(\w)/g, (_, c: string) => c.toUpperCase())),
        {
          type: answer.type,
          ...(answer.status === undefined ? {} : { statusCode: String(answer.status) }),
          // One Retry-After for every 429 (bff:retryAfterSeconds): a minimum wait.
          responseHeaders: answer.retryAfter ? { ...headers, 'Retry-After': `'${retryAfterSeconds}'` } : headers,
          templates: { 'application/json': problemTemplate(answer) },
        },
      );
    }
  }

  /**
   * The session-cookie key: 64 random characters generated by Secrets Manager at the first deploy (never in
   * the template, never in an environment variable), kept by later deploys. Replacing its value signs every
   * browser session out once the functions' cache (15 minutes) has passed; nothing else depends on it.
   */
  private configureSessionKey(): Secret {
    const secret = new Secret(this, 'SessionKey', {
      description: 'Seals the BFF session cookies (AES-256-GCM key derived with HKDF); read only by the BFF functions',
      generateSecretString: { passwordLength: 64, excludePunctuation: true, includeSpace: false },
      // Deleted with the stack even under bff:removalPolicy retain: a new stack makes a new key (the browser
      // sessions of the old one end), and nothing kept depends on this one.
      removalPolicy: RemovalPolicy.DESTROY,
    });
    Validations.of(secret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'A rotated key would sign every browser session out; it is replaced on purpose only (README, cookie mode).',
    });
    return secret;
  }

  /**
   * The counters of the per-user code cap: one item per user and window (`pk`), deleted by TTL (`expiresAt`) once
   * the window is over. On-demand (a few writes per email change), AWS-owned encryption, and deleted with the
   * stack: a counter is worth one window at most. Only the two counting functions may write it, with UpdateItem.
   */
  private configureCodeCapTable(): TableV2 {
    const table = new TableV2(this, 'CodeCap', {
      partitionKey: { name: 'pk', type: AttributeType.STRING },
      billing: Billing.onDemand(),
      timeToLiveAttribute: 'expiresAt',
      removalPolicy: RemovalPolicy.DESTROY,
    });
    return table;
  }

  /** The SES identity and configuration set a notice function may send through (ses:SendEmail on those only). */
  private sesResources(settings: Settings): string[] {
    const email = settings.email;
    if (!email) return [];
    const stack = Stack.of(this);
    const arn = (resource: string) =>
      stack.formatArn({ service: 'ses', region: email.sesRegion ?? stack.region, resource });
    // https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonsesv2.html: SendEmail is
    // authorized on the identity (the sender address, or its verified domain) and on the configuration set.
    return [
      arn(`identity/${email.verifiedDomain ?? email.from}`),
      ...(email.configurationSet ? [arn(`configuration-set/${email.configurationSet}`)] : []),
    ];
  }

  /**
   * One function per route, each allowed exactly the Cognito actions its route lists, on this pool. No gateway
   * authorizer: a Cognito authorizer reads only the Authorization header and would refuse every cookie-mode
   * request, so the functions of the authenticated routes verify the access token themselves (header or
   * cookie; lambdas/shared/access-token.ts). The functions that handle sessions may read the session key.
   */
  private configureRoutes(props: BffApiProps): void {
    const { settings } = props;
    const poolArn = props.userPool.userPoolArn;
    const ids = {
      userPoolId: props.userPool.userPoolId,
      clientId: props.userPoolClient.userPoolClientId,
      sessionKeySecretId: this.sessionKey.secretArn,
      ...(this.codeCapTable ? { codeCapTable: this.codeCapTable.tableName } : {}),
    };
    const sesResources = this.sesResources(settings);

    for (const route of routeList) {
      const kind = functionKindOf(route);
      const signs = route.actions.includes(SECRET_ACTION);
      const fn = new BffFunction(this, pascal(route.name), {
        entry: route.entry,
        description: `${route.method} ${route.path} -> ${route.operation === NO_OPERATION ? 'no Cognito call' : `Cognito ${route.operation}`}`,
        environment: toEnvironment(
          kind,
          settings,
          signs ? { ...ids, clientSecretId: props.clientSecret.secretArn } : ids,
          {
            ...(route.notice ? { notice: route.notice } : {}),
            ...(route.codeCap ? { codeCap: true } : {}),
          },
        ),
        sourceMaps: settings.sourceMaps,
      });
      // The route's actions, on this pool only, and the client secret's read on that one secret: env vars and
      // grants bound together here.
      const poolActions = route.actions.filter((action) => action !== SECRET_ACTION);
      if (poolActions.length > 0) {
        fn.function.addToRolePolicy(new PolicyStatement({ actions: poolActions, resources: [poolArn] }));
      }
      if (signs) {
        fn.function.addToRolePolicy(
          new PolicyStatement({ actions: [SECRET_ACTION], resources: [props.clientSecret.secretArn] }),
        );
      }
      if (kind === 'session') {
        fn.function.addToRolePolicy(
          new PolicyStatement({ actions: ['secretsmanager:GetSecretValue'], resources: [this.sessionKey.secretArn] }),
        );
      }
      if (route.notice && noticeOn(settings, route.notice) && sesResources.length > 0) {
        fn.function.addToRolePolicy(new PolicyStatement({ actions: ['ses:SendEmail'], resources: sesResources }));
      }
      if (route.codeCap && this.codeCapTable) {
        fn.function.addToRolePolicy(
          new PolicyStatement({ actions: ['dynamodb:UpdateItem'], resources: [this.codeCapTable.tableArn] }),
        );
      }
      this.functions[route.name] = fn;
      const resource = this.api.root.resourceForPath(route.path);
      const method = resource.addMethod(route.method, new LambdaIntegration(fn.function, { proxy: true }), {
        operationName: route.name,
        authorizationType: AuthorizationType.NONE,
      });
      if (route.auth === 'none') this.publicMethods.push(method);
      else {
        const reason =
          'The function verifies the access token itself (bearer header or session cookie) with aws-jwt-verify: ' +
          'a Cognito authorizer reads only the Authorization header and would refuse cookie-mode requests.';
        Validations.of(method).acknowledge({ id: 'AwsSolutions-APIG4', reason });
        Validations.of(method).acknowledge({ id: 'AwsSolutions-COG4', reason });
      }
    }
  }

  /** GET /openapi.json: the generated document, served by a mock integration (no function). */
  private configureOpenApi(): void {
    const openApi = this.api.root.resourceForPath('/openapi.json').addMethod(
      'GET',
      new MockIntegration({
        passthroughBehavior: PassthroughBehavior.NEVER,
        requestTemplates: { 'application/json': '{"statusCode": 200}' },
        integrationResponses: [
          {
            statusCode: '200',
            responseTemplates: { 'application/json': JSON.stringify(openApiDocument()) },
            responseParameters: { 'method.response.header.Content-Type': "'application/json'" },
          },
        ],
      }),
      {
        authorizationType: AuthorizationType.NONE,
        methodResponses: [{ statusCode: '200', responseParameters: { 'method.response.header.Content-Type': true } }],
      },
    );
    this.publicMethods.push(openApi);
  }

  /** The stage ARN, for a WAF association. */
  get stageArn(): string {
    const stack = Stack.of(this);
    const stage = this.api.deploymentStage.stageName;
    return `arn:${stack.partition}:apigateway:${stack.region}::/restapis/${this.api.restApiId}/stages/${stage}`;
  }
}

const pascal = (name: string) => name.charAt(0).toUpperCase() + name.slice(1);
