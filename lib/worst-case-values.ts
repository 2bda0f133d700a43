/** A template's resources, as much of them as resolving a reference needs. */
export type TemplateResources = Record<string, { Type: string; Properties?: Record<string, unknown> }>;

// The longest value each pseudo parameter takes in any partition (`aws-us-gov`, `ap-southeast-5`, …).
const PSEUDO: Record<string, string> = {
  'AWS::Partition': 'aws-us-gov',
  'AWS::Region': 'ap-southeast-5',
  'AWS::AccountId': '123456789012',
  'AWS::URLSuffix': 'amazonaws.com.cn',
  'AWS::StackName': 's'.repeat(128),
};

/** How a resource's ARN is built, and the longest name CloudFormation may give it. */
const ARNS: Record<
  string,
  { arn: (name: string) => string; longestName: number; refIsArn?: boolean; ref?: (name: string) => string }
> = {
  // A queue's Ref is its URL.
  'AWS::SQS::Queue': {
    arn: (n) => `${prefix('sqs')}:${n}`,
    longestName: 80,
    ref: (n) => `https://sqs.${PSEUDO['AWS::Region']}.${PSEUDO['AWS::URLSuffix']}/${account()}/${n}`,
  },
  'AWS::DynamoDB::Table': { arn: (n) => `${prefix('dynamodb')}:table/${n}`, longestName: 255 },
  'AWS::Logs::LogGroup': { arn: (n) => `${prefix('logs')}:log-group:${n}:*`, longestName: 512 },
  'AWS::SNS::Topic': { arn: (n) => `${prefix('sns')}:${n}`, longestName: 256, refIsArn: true },
  'AWS::Events::Rule': { arn: (n) => `${prefix('events')}:rule/${n}`, longestName: 64 },
  'AWS::Lambda::Function': { arn: (n) => `${prefix('lambda')}:function:${n}`, longestName: 64 },
  'AWS::IAM::Role': {
    arn: (n) => `arn:${PSEUDO['AWS::Partition']}:iam::${account()}:role/${n}`,
    longestName: 64,
  },
  'AWS::IAM::ManagedPolicy': {
    arn: (n) => `arn:${PSEUDO['AWS::Partition']}:iam::${account()}:policy/${n}`,
    longestName: 128,
    refIsArn: true,
  },
};

/**
 * `value` with every CloudFormation intrinsic replaced by the longest string it can become once
 * deployed (the longest partition and region, names as long as the resource type allows), so a size
 * measured on the result is never below what AWS will count. Literal strings are kept as they are.
 * Throws on an intrinsic it does not know, rather than guess low.
 */
export function worstCaseValue(value: unknown, resources: TemplateResources): unknown {
  if (Array.isArray(value)) return value.map((v) => worstCaseValue(v, resources));
  if (value === null || typeof value !== 'object') return value;
  const entries = Object.entries(value as Record<string, unknown>);
  const [first] = entries;
  if (entries.length === 1 && first && (first[0] === 'Ref' || first[0].startsWith('Fn::'))) {
    return worstCaseIntrinsic(first[0], first[1], resources);
  }
  return Object.fromEntries(entries.map(([k, v]) => [k, worstCaseValue(v, resources)]));
}

function worstCaseIntrinsic(fn: string, args: unknown, resources: TemplateResources): string {
  if (fn === 'Ref') {
    const name = String(args);
    const pseudo = PSEUDO[name];
    if (pseudo !== undefined) return pseudo;
    const shape = shapeOf(name, resources);
    if (shape.ref) return shape.ref(longName(shape));
    return shape.refIsArn ? shape.arn(longName(shape)) : longName(shape);
  }
  if (fn === 'Fn::GetAtt') {
    const [id, attribute] = args as [string, string];
    const shape = shapeOf(id, resources);
    if (attribute === 'Arn' || attribute === 'TopicArn') return shape.arn(longName(shape));
    throw new Error(`cannot size Fn::GetAtt ${id}.${attribute}`);
  }
  if (fn === 'Fn::Join') {
    const [separator, parts] = args as [string, unknown[]];
    return parts.map((p) => String(worstCaseValue(p, resources))).join(separator);
  }
  throw new Error(`cannot size ${fn}`);
}

function shapeOf(id: string, resources: TemplateResources) {
  const type = resources[id]?.Type;
  const shape = type ? ARNS[type] : undefined;
  if (!shape) throw new Error(`cannot size a reference to ${id} (${type ?? 'not in the template'})`);
  return shape;
}

function longName(shape: { longestName: number }): string {
  return 'n'.repeat(shape.longestName);
}

function prefix(service: string): string {
  return `arn:${PSEUDO['AWS::Partition']}:${service}:${PSEUDO['AWS::Region']}:${account()}`;
}

function account(): string {
  return PSEUDO['AWS::AccountId'] as string;
}
