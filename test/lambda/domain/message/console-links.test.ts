import { describe, expect, it } from 'vitest';
import { consoleFragmentName, logStreamConsoleUrl } from '../../../../lambda/domain/message/console-links.js';

// Each expected URL below was found in public code or documentation that links real streams.
describe('logStreamConsoleUrl: the CloudWatch console link of a log stream', () => {
  it('encodes "/" in the group and the stream as $252F (percent-encoded twice, % written $)', () => {
    // facebookresearch/fbpcs, the expected value of its CloudWatch log URL test.
    expect(
      logStreamConsoleUrl({
        group: '/ecs/onedocker-container-fake-amazon',
        stream: 'ecs/onedocker-container-fake-amazon/3a5e4213036b4456a6c16695b938b361',
        region: 'us-west-2',
        partition: 'aws',
      }),
    ).toBe(
      'https://us-west-2.console.aws.amazon.com/cloudwatch/home?region=us-west-2#logsV2:log-groups/log-group/$252Fecs$252Fonedocker-container-fake-amazon/log-events/ecs$252Fonedocker-container-fake-amazon$252F3a5e4213036b4456a6c16695b938b361',
    );
  });

  it('links an ECS task stream named <prefix>/<container>/<task ID>', () => {
    // A README linking the logs of a task of the first-run task definition.
    expect(
      logStreamConsoleUrl({
        group: '/ecs/first-run-task-definition',
        stream: 'ecs/sleepy-app/c56997f5096d425ba1572560c521bed3',
        region: 'us-east-1',
        partition: 'aws',
      }),
    ).toBe(
      'https://us-east-1.console.aws.amazon.com/cloudwatch/home?region=us-east-1#logsV2:log-groups/log-group/$252Fecs$252Ffirst-run-task-definition/log-events/ecs$252Fsleepy-app$252Fc56997f5096d425ba1572560c521bed3',
    );
  });

  it('encodes $, [ and ] as the console does ($2524, $255B, $255D)', () => {
    // A Lambda stream, as the answers to "generate the AWS Console URLs for CloudWatch" build it.
    expect(consoleFragmentName('2020/03/22/[$LATEST]0123abcd')).toBe(
      '2020$252F03$252F22$252F$255B$2524LATEST$255D0123abcd',
    );
  });

  it("also encodes what encodeURIComponent leaves (!'()*), so nothing can end the fragment early", () => {
    expect(consoleFragmentName("a!b'c(d)e*f")).toBe('a$2521b$2527c$2528d$2529e$252Af');
  });

  it('uses the China and GovCloud console hosts for those partitions', () => {
    const stream = { group: '/aws/sagemaker/Endpoints/ocr', stream: 'AllTraffic/i-0abc' };

    expect(logStreamConsoleUrl({ ...stream, region: 'cn-north-1', partition: 'aws-cn' })).toBe(
      'https://console.amazonaws.cn/cloudwatch/home?region=cn-north-1#logsV2:log-groups/log-group/$252Faws$252Fsagemaker$252FEndpoints$252Focr/log-events/AllTraffic$252Fi-0abc',
    );
    expect(logStreamConsoleUrl({ ...stream, region: 'us-gov-west-1', partition: 'aws-us-gov' })).toMatch(
      /^https:\/\/console\.amazonaws-us-gov\.com\/cloudwatch\/home\?region=us-gov-west-1#logsV2:log-groups\/log-group\/\$252Faws\$252F/,
    );
  });
});
