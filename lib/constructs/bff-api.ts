import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import {
  AccessLogFormat,
  AuthorizationType,
  CognitoUserPoolsAuthorizer,
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
} from 'aws-cdk-lib/aws-apigateway';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IUserPool, IUserPoolClient } from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';
import { openApiDocument } from '../../lambdas/openapi';
import { routeList } from '../../lambdas/routes';
import { toEnvironment } from '../../lambdas/shared/config';
import type { Settings, ThrottleSettings } from '../../lambdas/shared/settings';
import { BffFunction } from './bff-function';

export interface BffApiProps {
  /** The pool the functions call and whose access tokens the authorizer accepts. */
  readonly userPool: IUserPool;
  /** The confidential app client the functions act as. */
  readonly userPoolClient: IUserPoolClient;
  /** Origins, redirect allowlist, metadata keys, admin group and throttling. */
  readonly settings: Settings;
}

const problemTemplate = (status: number, code: string, title: string, detail: string) =>
  JSON.stringify({ type: `urn:password-bff:problem:${code}`, title, status, detail, code });

/**
 * The REST API generated from the route table: one function per route, each allowed exactly the
 * Cognito actions its route lists, on this pool; bearer routes behind the Cognito authorizer
 * (access tokens, scope aws.cognito.signin.user.admin).
 */
export class BffApi extends Construct {
  readonly api: RestApi;
  readonly functions: Record<string, BffFunction> = {};
  /** Methods anyone may call (public password routes and the OpenAPI document). */
  readonly publicMethods: Method[] = [];

  constructor(scope: Construct, id: string, props: BffApiProps) {
    super(scope, id);
    this.api = this.configureRestApi(props.settings);
    this.configureGatewayResponses();
    this.configureRoutes(props);
    this.configureOpenApi();
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
    const methodOptions: Record<string, MethodOptions & ReturnType<typeof throttle>> = {};
    for (const route of routeList.filter((r) => r.throttle === 'strict')) {
      methodOptions[`${route.path}/${route.method}`] = throttle(settings.publicRouteThrottle);
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
      defaultCorsPreflightOptions: {
        allowOrigins: [...settings.allowedOrigins],
        allowMethods: ['GET', 'POST', 'PATCH', 'DELETE', 'OPTIONS'],
        allowHeaders: ['Content-Type', 'Authorization', 'X-Cognito-Encoded-Data'],
      },
    });
  }

  /**
   * Gateway-made errors (401 from the authorizer, throttling, 5xx) as problem+json with CORS,
   * so a browser sees a 401 as a 401 rather than as a CORS failure.
   */
  private configureGatewayResponses(): void {
    const corsHeaders = {
      'Access-Control-Allow-Origin': 'method.request.header.Origin',
      Vary: "'Origin'",
      'X-Content-Type-Options': "'nosniff'",
      'Cache-Control': "'no-store'",
    };
    const gatewayResponses: [string, ResponseType, number, string, string, string][] = [
      [
        'Unauthorized',
        ResponseType.UNAUTHORIZED,
        401,
        'NotAuthorized',
        'Unauthorized',
        'A valid access token is required.',
      ],
      ['AccessDenied', ResponseType.ACCESS_DENIED, 403, 'Forbidden', 'Forbidden', 'Access denied.'],
      [
        'Throttled',
        ResponseType.THROTTLED,
        429,
        'TooManyRequests',
        'Too Many Requests',
        'Too many requests; slow down.',
      ],
      ['Default4xx', ResponseType.DEFAULT_4XX, 400, 'BadRequest', 'Bad Request', 'The request was rejected.'],
      ['Default5xx', ResponseType.DEFAULT_5XX, 502, 'Upstream', 'Bad Gateway', 'The service failed. Please try again.'],
    ];
    for (const [name, type, status, code, title, detail] of gatewayResponses) {
      this.api.addGatewayResponse(name, {
        type,
        ...(type === ResponseType.DEFAULT_4XX || type === ResponseType.DEFAULT_5XX
          ? {}
          : { statusCode: String(status) }),
        responseHeaders: type === ResponseType.THROTTLED ? { ...corsHeaders, 'Retry-After': "'1'" } : corsHeaders,
        templates: { 'application/json': problemTemplate(status, code, title, detail) },
      });
    }
  }

  /**
   * One function per route, each allowed exactly the Cognito actions its route lists, on this
   * pool; bearer routes behind the Cognito authorizer.
   */
  private configureRoutes(props: BffApiProps): void {
    const { settings } = props;
    const authorizer = new CognitoUserPoolsAuthorizer(this, 'Authorizer', {
      cognitoUserPools: [props.userPool],
      identitySource: 'method.request.header.Authorization',
    });

    const poolArn = props.userPool.userPoolArn;
    const environment = toEnvironment('api', settings, {
      userPoolId: props.userPool.userPoolId,
      clientId: props.userPoolClient.userPoolClientId,
    });

    for (const route of routeList) {
      const fn = new BffFunction(this, pascal(route.name), {
        entry: route.entry,
        description: `${route.method} ${route.path} -> Cognito ${route.operation}`,
        environment,
        sourceMaps: settings.sourceMaps,
      });
      // The route's actions, on this pool only: env vars and grants bound together here.
      if (route.actions.length > 0) {
        fn.function.addToRolePolicy(new PolicyStatement({ actions: [...route.actions], resources: [poolArn] }));
      }
      this.functions[route.name] = fn;
      const resource = this.api.root.resourceForPath(route.path);
      const bearer = route.auth !== 'none';
      const method = resource.addMethod(route.method, new LambdaIntegration(fn.function, { proxy: true }), {
        operationName: route.name,
        ...(bearer
          ? {
              authorizer,
              authorizationType: AuthorizationType.COGNITO,
              authorizationScopes: ['aws.cognito.signin.user.admin'],
            }
          : { authorizationType: AuthorizationType.NONE }),
      });
      if (!bearer) this.publicMethods.push(method);
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
