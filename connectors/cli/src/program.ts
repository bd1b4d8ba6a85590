import { Command, CommanderError, Option } from 'commander';
import { createKafka, type BrokerFlags } from './broker';
import { publishedType, readEventFile, sampleEvent } from './events';
import { emit, ExitCode, processIo, UsageError, type CommandResult, type Io } from './output';
import { parseFamilies, redriveCommand } from './redrive';
import { sendCommand } from './send';
import { typesCommand } from './types';
import { validateCommand } from './validate';

interface CommonFlags {
  readonly json?: boolean;
  readonly topicPrefix: string;
}

const withCommon = (command: Command): Command =>
  command
    .option('--json', 'print one JSON document (for scripts)')
    .option(
      '--topic-prefix <prefix>',
      'prefix of every topic name (TOPIC_PREFIX)',
      process.env['TOPIC_PREFIX'] ?? '',
    );

const withBroker = (command: Command): Command =>
  command
    .option('--brokers <list>', 'comma-separated bootstrap brokers (default KAFKA_BROKERS or 127.0.0.1:9092)')
    .option('--username <name>', 'SASL username (or KAFKA_USERNAME)')
    .option('--password <secret>', 'SASL password (or KAFKA_PASSWORD)')
    .addOption(
      new Option('--sasl-mechanism <mechanism>', 'SASL mechanism (or KAFKA_SASL_MECHANISM)').choices([
        'scram-sha-512',
        'scram-sha-256',
        'plain',
      ]),
    )
    .option('--ssl', 'connect over TLS (or KAFKA_SSL=true)');

/** Runs one command line (without `node` and the script) and returns the exit code; never calls process.exit. */
export async function run(argv: readonly string[], io: Io = processIo): Promise<number> {
  let result: CommandResult | undefined;
  let asJson = false;
  const program = new Command('mash-connect')
    .description('Validate, send and redrive agency CloudEvents against the mash-graph contracts.')
    .exitOverride()
    .configureOutput({ writeOut: io.out, writeErr: io.err })
    .showHelpAfterError();

  withCommon(program.command('validate').argument('<file>', 'a CloudEvent JSON file'))
    .description('check an event file exactly as the connector will (same codes and reasons)')
    .action((file: string, flags: CommonFlags) => {
      asJson = flags.json === true;
      result = validateCommand(file, readEventFile(file), flags.topicPrefix);
    });

  withBroker(
    withCommon(
      program
        .command('send')
        .argument('[file]', 'a CloudEvent JSON file')
        .option('--sample <type>', "send the type's schema example instead of a file")
        .option('--source <code>', 'source system code for --sample (default: the demo one of the family)')
        .option('--id <id>', 'event id for --sample (default: a random UUID)')
        .option('--key <key>', 'record key (default: the subject identifier of the event)'),
    ),
  )
    .description("validate, then publish to the type's family topic keyed by the subject identifier")
    .action(
      async (
        file: string | undefined,
        flags: CommonFlags & BrokerFlags & { sample?: string; source?: string; id?: string; key?: string },
      ) => {
        asJson = flags.json === true;
        if ((file === undefined) === (flags.sample === undefined)) {
          throw new UsageError('give either a file or --sample TYPE');
        }
        const input =
          flags.sample !== undefined
            ? {
                label: `sample ${publishedType(flags.sample).type}`,
                bytes: Buffer.from(
                  JSON.stringify(
                    sampleEvent(flags.sample, {
                      ...(flags.source !== undefined && { source: flags.source }),
                      ...(flags.id !== undefined && { id: flags.id }),
                    }),
                  ),
                ),
              }
            : { label: file as string, bytes: readEventFile(file as string) };
        result = await sendCommand(createKafka(flags), {
          ...input,
          topicPrefix: flags.topicPrefix,
          ...(flags.key !== undefined && { key: flags.key }),
        });
      },
    );

  withCommon(program.command('types'))
    .description('list the published event types with their topics, schema ids and examples')
    .action((flags: CommonFlags) => {
      asJson = flags.json === true;
      result = typesCommand(flags.topicPrefix);
    });

  withBroker(
    withCommon(
      program
        .command('redrive')
        .requiredOption('--source <source>', 'the source system (urn:mash:source:<code> or <code>)')
        .option('--family <family...>', 'only these families (default: all)')
        .option('--code <code...>', 'only records dead-lettered with these codes')
        .option('--dry-run', 'report what would be re-published, publish nothing')
        .option('--timeout <ms>', 'how long reading the dead-letter topics may take', '30000'),
    ),
  )
    .description('re-publish the dead-lettered records of a source to the topics they came from')
    .action(
      async (
        flags: CommonFlags &
          BrokerFlags & {
            source: string;
            family?: string[];
            code?: string[];
            dryRun?: boolean;
            timeout: string;
          },
      ) => {
        asJson = flags.json === true;
        const timeoutMs = Number(flags.timeout);
        if (!Number.isInteger(timeoutMs) || timeoutMs <= 0)
          throw new UsageError('--timeout must be milliseconds');
        result = await redriveCommand(createKafka(flags), {
          source: flags.source,
          families: parseFamilies(flags.family ?? []),
          codes: flags.code ?? [],
          topicPrefix: flags.topicPrefix,
          dryRun: flags.dryRun === true,
          timeoutMs,
        });
      },
    );

  try {
    await program.parseAsync([...argv], { from: 'user' });
  } catch (err) {
    if (err instanceof CommanderError) {
      const quiet = ['commander.helpDisplayed', 'commander.help', 'commander.version'].includes(err.code);
      return quiet ? ExitCode.ok : ExitCode.usage;
    }
    const usage = err instanceof UsageError;
    const message = err instanceof Error ? err.message : String(err);
    if (asJson) io.out(`${JSON.stringify({ ok: false, error: message }, null, 2)}\n`);
    io.err(`mash-connect: ${message}\n`);
    return usage ? ExitCode.usage : ExitCode.failed;
  }
  if (result === undefined) return ExitCode.usage;
  return emit(io, result, asJson);
}
