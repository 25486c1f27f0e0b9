/**
 * The strings of polls: the `<meeting-polls>` panel, its button in the control bar and what the live
 * region says. The catalogue spreads these maps in, so hosts override them with `registerMessages`.
 */
export const pollMessagesEn = {
  'polls.heading': 'Polls',
  'polls.empty': 'No polls yet.',
  'polls.new': 'New poll',
  'polls.question': 'Question',
  'polls.questionPlaceholder': 'What would you like to ask?',
  'polls.option': 'Option {n}',
  'polls.addOption': 'Add an option',
  'polls.removeOption': 'Remove option {n}',
  'polls.multiple': 'Allow several choices',
  'polls.anonymous': 'Anonymous: nobody sees who chose what',
  'polls.start': 'Start poll',
  'polls.cancel': 'Cancel',
  'polls.vote': 'Vote',
  'polls.changeVote': 'Change vote',
  'polls.close': 'Close poll',
  'polls.open': 'Open',
  'polls.closed': 'Closed',
  'polls.anonymousBadge': 'Anonymous',
  'polls.multipleBadge': 'Several choices',
  'polls.askedBy': 'Asked by {name}',
  'polls.askedByYou': 'Asked by you',
  'polls.voterCount': 'Voters: {count}',
  'polls.result': '{votes} of {total} ({percent}%)',
  'polls.yourVote': 'Your vote',
  'polls.formInvalid': 'Write a question and at least two different options.',
  'controls.polls': 'Polls',
  'controls.openPolls': '{count} open to vote in',
  'announce.pollOpened': '{name} started a poll: {question}',
  'announce.pollOpenedByYou': 'You started a poll: {question}',
  'announce.pollClosed': 'Poll closed: {question}',
} as const;

export type PollMessageKey = keyof typeof pollMessagesEn;
