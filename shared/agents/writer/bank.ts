import type { NicheFamily } from '../../domain/niche-family';

/**
 * The offline writer's curated phrasing, per niche family. Slots: {ts} the post's subject (its
 * topic or pillar), {a} a small count (2–5), {b} a larger figure (10–45), {m} an amount of money
 * (a currency sign and a figure). Every item is a named action and a concrete example with a
 * figure, so a list of them delivers what a title's count promises; mistakes and myths come with
 * what to do instead. No template claims a span of time (the critic holds claims to the campaign).
 */

export interface BankItem {
  /** The item's name, a short imperative or noun phrase (a list line starts with it). */
  name: string;
  /** One concrete sentence: an example or a figure. */
  detail: string;
}

export interface FamilyBank {
  /** Family words that make good tags on their own (never fragments). */
  tags: readonly string[];
  /** What a good result is called ("money left at the end of the month"). */
  win: string;
  actions: readonly BankItem[];
  mistakes: readonly BankItem[];
  /** A stated piece of common advice and the answer to it. */
  myths: readonly { claim: string; answer: string }[];
  /** A short scene with figures, as a creator would tell it. */
  examples: readonly string[];
}

const general: FamilyBank = {
  tags: ['creatortips', 'learnsomething', 'howto'],
  win: 'visible progress you can point to',
  actions: [
    { name: 'Start with the smallest version', detail: 'Spend {b} minutes on {ts} today and stop there, even if it goes well.' },
    { name: 'Write down where you are', detail: 'Note {a} facts about your {ts} before you change anything, so you can compare later.' },
    { name: 'Pick one number to watch', detail: 'Choose the one figure that shows {ts} improving and check it every Sunday.' },
    { name: 'Cut the slowest step', detail: 'Time each part of {ts} once; the part over {b} minutes is usually the one to drop.' },
    { name: 'Copy someone one step ahead', detail: 'Find {a} people who do {ts} a little better than you and borrow one routine each.' },
    { name: 'Book a fixed slot', detail: 'Put {b} minutes of {ts} in your calendar at the same hour, like any appointment.' },
    { name: 'Keep a one-line log', detail: 'After each session of {ts}, write one line: what you did and one figure.' },
    { name: 'Ask for one piece of feedback', detail: 'Show your {ts} to {a} people and ask each for a single thing to fix.' },
  ],
  mistakes: [
    { name: 'Changing everything at once', detail: 'Change one part of {ts} at a time, or you will never know what worked.' },
    { name: 'Waiting for the perfect moment', detail: 'A rough start on {ts} today beats a perfect plan that never starts.' },
    { name: 'Measuring effort instead of results', detail: 'Hours spent on {ts} say little; track the one result you want instead.' },
    { name: 'Copying advice meant for someone else', detail: 'Check who the advice on {ts} was written for before you follow it.' },
    { name: 'Skipping the review', detail: 'Take {b} minutes each Sunday to look back at your {ts} notes.' },
  ],
  myths: [
    { claim: 'you need talent to get good at {ts}', answer: 'Most progress in {ts} comes from {a} small habits repeated, not talent.' },
    { claim: 'more hours always means better {ts}', answer: 'A focused {b}-minute session on {ts} often beats a distracted afternoon.' },
  ],
  examples: [
    'One viewer spent {b} minutes a day on {ts} and could show real progress by the end of the campaign.',
    'When I tracked {ts} with one number, I found {a} habits that were costing me the most.',
  ],
};

export const FAMILY_BANKS: Record<NicheFamily, FamilyBank> = {
  general,
  finance: {
    tags: ['moneytips', 'budgeting', 'savemoney', 'financetips'],
    win: 'money left at the end of the month',
    actions: [
      { name: 'Pay yourself first', detail: 'Move {m} into savings the day money arrives, before any spending on {ts}.' },
      {
        name: 'Split money into weekly amounts',
        detail: 'Divide what you have for {ts} by the weeks left; {m} a week is easier to keep than a monthly total.',
      },
      { name: 'Keep a separate spending card', detail: 'Put {m} on a second card for {ts} and stop when it is empty.' },
      { name: 'Check your bank app on Sundays', detail: 'A {b}-minute Sunday check shows where the {ts} money went before it is gone.' },
      {
        name: 'Cancel one unused subscription',
        detail: 'Most students pay for {a} services they rarely open; cancelling one frees {m} for {ts}.',
      },
      { name: 'Write a shopping list first', detail: 'Shopping with a list cut one grocery trip from {m} by about {b} percent.' },
      { name: 'Set a cooling-off rule', detail: 'Wait {a} days before any purchase over {m}, and most of them stop feeling urgent.' },
      { name: 'Name every savings pot', detail: 'A pot called “{ts}” with {m} in it is harder to raid than one called “savings”.' },
      { name: 'Compare unit prices', detail: 'The price per kilo on the shelf label shows the cheaper pack in {a} seconds.' },
      { name: 'Keep receipts for one week', detail: 'A week of receipts shows the {a} purchases that quietly eat your {ts} budget.' },
    ],
    mistakes: [
      {
        name: 'Budgeting monthly when money arrives termly',
        detail: 'Turn a term’s money into weekly amounts so {ts} does not run dry in week {a}.',
      },
      { name: 'Ignoring small card payments', detail: 'Payments under {m} add up fastest; count them in your {ts} plan.' },
      { name: 'Saving whatever is left over', detail: 'Nothing is ever left over; move {m} first and spend the rest on {ts}.' },
      { name: 'Using one account for everything', detail: 'A second account for {ts} makes the limit visible at a glance.' },
      { name: 'Skipping the fee page', detail: 'Read the fee schedule before you commit; {m} a month in fees is common.' },
    ],
    myths: [
      { claim: 'you need a big income to start saving', answer: 'Starting with {m} a week builds the habit long before the income grows.' },
      { claim: 'budgets mean tracking every cent', answer: 'A {a}-line budget for {ts} works better than a spreadsheet you abandon.' },
      {
        claim: 'credit cards are always a trap',
        answer: 'Paid in full every month, one card for {ts} builds a credit history at no cost.',
      },
    ],
    examples: [
      'Last term a student I helped moved {m} a week into a pot for {ts} and stopped running out before the 25th.',
      'I sketched my own receipts for {ts}: {a} coffees a week came to {m} I did not know I was spending.',
      'Two students, same income: the one with a plan for {ts} had {m} left at the end of the month.',
    ],
  },
  fitness: {
    tags: ['homeworkout', 'strengthtraining', 'fitnesstips', 'workoutathome'],
    win: 'strength you can measure from week to week',
    actions: [
      { name: 'Slow the lowering', detail: 'Take {a} seconds to lower every rep; the same dumbbell feels twice as heavy for {ts}.' },
      { name: 'Add one rep per session', detail: 'Go from {b} to {b} plus one rep next time, and {ts} progresses without new weights.' },
      { name: 'Keep a minimum session', detail: 'On bad days do {a} sets of {ts} in ten minutes and call it a win.' },
      { name: 'Train the same slot every time', detail: 'A fixed {b}-minute slot for {ts} removes the daily decision.' },
      { name: 'Stop two reps short', detail: 'End each set of {ts} with {a} reps left in the tank so you recover by the next session.' },
      { name: 'Write every set down', detail: 'One line per set of {ts}: weight, reps, and how hard it felt from 1 to 10.' },
      { name: 'Warm up with the first movement', detail: 'Do {a} light sets of the first exercise of {ts} instead of a long warm-up.' },
      { name: 'Pair a push with a pull', detail: 'Alternate {b} seconds of pressing and rowing so {ts} fits a short session.' },
      { name: 'Eat protein at every meal', detail: 'Aim for a palm-sized portion, about {b} grams, with each meal on {ts} days.' },
      { name: 'Walk after dinner', detail: 'A {b}-minute walk on rest days helps recovery between {ts} sessions.' },
    ],
    mistakes: [
      { name: 'Going to failure every set', detail: 'Training {ts} to failure every set slows recovery; keep {a} reps in reserve.' },
      { name: 'Changing the plan every week', detail: 'Run the same {ts} plan long enough to see the numbers move.' },
      { name: 'Skipping the easy days', detail: 'Easy sessions of {b} minutes keep the {ts} habit alive on busy days.' },
      { name: 'Rushing the reps', detail: 'Fast reps hide weak points; a {a}-second lowering shows them in {ts}.' },
      { name: 'Ignoring sleep', detail: 'Short nights slow progress in {ts}; plan {a} hard sessions a week, not more.' },
    ],
    myths: [
      { claim: 'you need a gym to build strength', answer: 'One pair of dumbbells and {b} minutes is enough to progress in {ts}.' },
      {
        claim: 'sore muscles mean a good workout',
        answer: 'Soreness says little; adding {a} reps over last time is the better sign for {ts}.',
      },
      { claim: 'cardio is the only way to get fit', answer: 'Strength work for {ts} raises fitness too, in {b}-minute sessions.' },
    ],
    examples: [
      'One of my clients trained {ts} for {b} minutes during nap time and added {a} reps to every set.',
      'With one pair of dumbbells, slowing the lowering made my {ts} sessions feel new again.',
      'A parent I coach logged every set of {ts} and could see {a} more reps on the page.',
    ],
  },
  food: {
    tags: ['homecooking', 'easyrecipes', 'weeknightdinner', 'cookingtips'],
    win: 'dinner on the table without stress',
    actions: [
      {
        name: 'Fry the paste until it darkens',
        detail: 'Give the tomato and pepper base {b} minutes on medium heat before anything else goes in for {ts}.',
      },
      { name: 'Prep one base on Sunday', detail: 'A pot of stew base covers {a} weeknight dinners built around {ts}.' },
      { name: 'Keep a jar of spice blend', detail: 'Mix {a} spices once and {ts} is seasoned in seconds all week.' },
      {
        name: 'Cook the rice with less water',
        detail: 'Use about {b} percent less water than the packet says and let it steam off the heat.',
      },
      { name: 'Use frozen greens', detail: 'Frozen spinach goes into {ts} for the last {a} minutes, straight from the bag.' },
      { name: 'Salt in layers', detail: 'Season {ts} a little at {a} points instead of once at the end.' },
      { name: 'Rest it before serving', detail: 'Leave {ts} off the heat for {a} minutes with the lid on so it finishes cooking.' },
      { name: 'Toast the spices first', detail: 'Toast whole spices for {b} seconds in a dry pan before they go into {ts}.' },
      { name: 'Cook double, freeze half', detail: 'Make twice the {ts} and freeze {a} portions for the busiest evenings.' },
      { name: 'Finish with something sharp', detail: 'A squeeze of lime or a spoon of pickled onion lifts {ts} in the last minute.' },
    ],
    mistakes: [
      { name: 'Crowding the pan', detail: 'Cook {ts} in {a} batches so it browns instead of steaming.' },
      { name: 'Adding the chilli too early', detail: 'Add the chilli for {ts} in the last {b} minutes and taste as you go.' },
      { name: 'Stirring the rice', detail: 'Lid on, low heat, and no stirring, or {ts} turns mushy.' },
      { name: 'Skipping the acid', detail: 'Rich dishes like {ts} need a squeeze of citrus at the end.' },
      { name: 'Starting without a plan', detail: 'Decide {a} dinners on Sunday so {ts} never starts at 8 pm with nothing in.' },
    ],
    myths: [
      { claim: 'good food takes hours', answer: 'Most of the flavour in {ts} comes from {b} minutes of frying the base well.' },
      { claim: 'you need a fully stocked kitchen', answer: 'Five pantry staples cover {ts} and {a} other weeknight dinners.' },
    ],
    examples: [
      'Last Tuesday {ts} took me {b} minutes from opening the fridge to serving.',
      'I tested {ts} {a} times this month; frying the base longer made the biggest difference.',
      'A follower made {ts} with only pantry staples and sent me a photo of an empty pot.',
    ],
  },
  tech: {
    tags: ['techtips', 'coding', 'productivity', 'learntocode'],
    win: 'something working you can show',
    actions: [
      { name: 'Ship the smallest version', detail: 'Build the {a} screens of {ts} that matter and nothing else first.' },
      { name: 'Automate one chore', detail: 'A {b}-line script for {ts} saves the same ten minutes every day.' },
      { name: 'Write the README first', detail: 'Describe {ts} in {a} sentences before you write code.' },
      { name: 'Time-box research', detail: 'Give yourself {b} minutes to compare tools for {ts}, then pick one.' },
      { name: 'Keep a bug diary', detail: 'Write one line per bug in {ts}; after {b} entries the patterns are obvious.' },
      { name: 'Test the slow path', detail: 'Measure {ts} on a slow connection; {a} seconds of waiting loses users.' },
      { name: 'Learn one shortcut a day', detail: 'One keyboard shortcut for {ts} a day adds up to {b} by the end of the month.' },
      { name: 'Read the changelog', detail: 'The changelog of {ts} answers most questions in {a} minutes.' },
    ],
    mistakes: [
      { name: 'Picking tools before the problem', detail: 'Write down what {ts} must do before comparing frameworks.' },
      { name: 'Skipping backups', detail: 'Back up {ts} before every big change; restoring takes {a} minutes.' },
      { name: 'Optimising too early', detail: 'Measure {ts} first; most slowness sits in {a} places.' },
      { name: 'Building alone in silence', detail: 'Show {ts} to {a} users early, while changes are cheap.' },
    ],
    myths: [
      { claim: 'you need to learn everything before you build', answer: 'Building {ts} teaches the {a} things you actually need.' },
      { claim: 'the newest tool is always better', answer: 'A tool you know ships {ts} faster than a new one you are learning.' },
    ],
    examples: [
      'I rebuilt {ts} with {a} fewer features and it shipped in a weekend.',
      'A viewer automated {ts} with a {b}-line script and got an hour back every week.',
    ],
  },
  crafts: {
    tags: ['handmade', 'craftideas', 'diycrafts', 'makersgonnamake'],
    win: 'a finished piece you are proud of',
    actions: [
      { name: 'Make a test swatch', detail: 'A {b}-stitch swatch for {ts} shows tension problems before the real piece.' },
      { name: 'Sort your supplies by project', detail: 'One box per project keeps {ts} ready to pick up in {a} minutes.' },
      { name: 'Work in short sessions', detail: 'Twenty minutes of {ts} a day finishes more pieces than one long weekend.' },
      { name: 'Photograph each stage', detail: 'Take {a} photos while making {ts}; they show where it went wrong.' },
      { name: 'Finish before starting another', detail: 'Keep at most {a} pieces of {ts} on the go at once.' },
      { name: 'Buy the good tool once', detail: 'One quality tool for {ts} beats {a} cheap ones that slow you down.' },
      { name: 'Block the piece', detail: 'Pin {ts} to size and let it dry for the shape to set.' },
      { name: 'Keep a pattern notebook', detail: 'Note every change to the pattern for {ts}, with row numbers.' },
    ],
    mistakes: [
      { name: 'Skipping the swatch', detail: 'Without a swatch, {ts} can come out {b} percent too large.' },
      { name: 'Cheap materials for a big piece', detail: 'The material decides how {ts} wears; spend there first.' },
      { name: 'Rushing the finishing', detail: 'Finishing makes {ts} look handmade in the good sense; give it {b} minutes.' },
      { name: 'Starting too big', detail: 'Try {ts} small first, then scale up.' },
    ],
    myths: [
      { claim: 'handmade has to look perfect', answer: 'Small marks make {ts} recognisably yours; consistency matters more.' },
      { claim: 'you need a studio to make things', answer: 'A box and a corner of the table are enough for {ts}.' },
    ],
    examples: [
      'My first {ts} took {a} tries; the swatch would have saved two of them.',
      'A follower finished {ts} in {b} short sessions around a full-time job.',
    ],
  },
  travel: {
    tags: ['budgettravel', 'traveltips', 'backpacking', 'cheaptravel'],
    win: 'more trip for less money',
    actions: [
      { name: 'Price both ways', detail: 'Compare a pass with point-to-point tickets for {ts}; the difference is often {m}.' },
      { name: 'Book the night train', detail: 'A couchette for {ts} costs about {m} and saves a night of accommodation.' },
      { name: 'Pack carry-on only', detail: 'Carry-on only saves {m} in fees on {ts} and makes cheap transport possible.' },
      { name: 'Read recent reviews only', detail: 'Filter reviews for {ts} to the last month; {a} recent ones beat a hundred old ones.' },
      { name: 'Eat the lunch menu', detail: 'The fixed lunch menu near {ts} costs around {m}, half the dinner price.' },
      { name: 'Use free museum hours', detail: 'Many museums near {ts} are free for {a} hours one evening a week.' },
      { name: 'Buy a day transit pass', detail: 'A day pass for {ts} pays for itself after {a} rides.' },
      { name: 'Stay one stop out', detail: 'A bed one metro stop from the centre of {ts} is often {b} percent cheaper.' },
    ],
    mistakes: [
      { name: 'Booking the first price you see', detail: 'Check {a} sites for {ts}; prices differ by {m} for the same bed.' },
      { name: 'Overpacking', detail: 'A heavy bag rules out the cheap bus on {ts}; pack for {a} days and wash.' },
      { name: 'Ignoring seat reservations', detail: 'Reservations on {ts} can add {m} to a pass; price them in.' },
      { name: 'Eating next to landmarks', detail: 'Walk {a} streets away from the sights of {ts} and prices drop.' },
    ],
    myths: [
      { claim: 'rail passes are always cheaper', answer: 'For {ts} a pass wins only with {a} or more long legs.' },
      { claim: 'budget travel means uncomfortable travel', answer: 'A night train on {ts} is a bed and a ticket for about {m}.' },
    ],
    examples: [
      'On my last trip {ts} cost me {m} a day, bed and food included.',
      'I priced {ts} both ways: the pass saved {m} across {a} legs.',
    ],
  },
  education: {
    tags: ['studytips', 'learning', 'studentlife', 'studysmarter'],
    win: 'knowledge that sticks',
    actions: [
      { name: 'Test yourself first', detail: 'Answer {a} questions on {ts} before rereading anything.' },
      { name: 'Space the reviews', detail: 'Review {ts} the next day, then {a} days later, then a week later.' },
      { name: 'Teach it to someone', detail: 'Explain {ts} in {b} words to a friend; the gaps show at once.' },
      { name: 'Study in short blocks', detail: 'Work on {ts} in {b}-minute blocks with a short break between.' },
      { name: 'Draw it on one page', detail: 'A one-page sketch of {ts} with {a} boxes beats ten pages of notes.' },
      { name: 'Mix the topics', detail: 'Alternate {ts} with {a} other topics in one session to remember more.' },
      { name: 'Write the question, not the answer', detail: 'Turn each note on {ts} into a question for later self-testing.' },
      { name: 'Start with past papers', detail: 'Do {a} past questions on {ts} first to see what is really asked.' },
    ],
    mistakes: [
      { name: 'Rereading instead of recalling', detail: 'Rereading {ts} feels productive; answering questions works better.' },
      { name: 'Cramming the night before', detail: 'Spread {ts} over {a} short sessions instead.' },
      { name: 'Highlighting everything', detail: 'If every line on {ts} is highlighted, none is; mark {a} per page.' },
      { name: 'Studying with the phone nearby', detail: 'Put the phone in another room for {b} minutes of {ts}.' },
    ],
    myths: [
      { claim: 'some people just are not good at {ts}', answer: 'Practice with feedback closes most gaps in {ts} within a term.' },
      { claim: 'long study sessions are the most effective', answer: '{b}-minute blocks on {ts} with breaks beat one long session.' },
    ],
    examples: [
      'A student switched to self-testing on {ts} and answered {a} more questions right in the mock exam.',
      'I drew {ts} on a single page with {a} boxes and still remembered it at the exam.',
    ],
  },
  beauty: {
    tags: ['skincare', 'skincareroutine', 'beautytips', 'selfcare'],
    win: 'calm, comfortable skin',
    actions: [
      { name: 'Patch test first', detail: 'Try {ts} behind the ear for {a} evenings before it goes on your face.' },
      { name: 'Moisturise on damp skin', detail: 'Apply {ts} within {b} seconds of washing, while the skin is still damp.' },
      { name: 'Keep the routine to three steps', detail: 'Cleanser, moisturiser, sunscreen: {ts} fits inside those {a} steps.' },
      { name: 'Introduce one product at a time', detail: 'Add {ts} alone and wait {a} weeks before adding anything else.' },
      { name: 'Choose the lower strength', detail: 'Start {ts} at the lower percentage; sensitive skin rarely needs more.' },
      { name: 'Press, do not rub', detail: 'Press {ts} in with fingertips to avoid irritation and white cast.' },
      { name: 'Wear sunscreen daily', detail: 'SPF {b} every morning protects the work {ts} does overnight.' },
      { name: 'Check the ingredient list', detail: 'Scan {ts} for fragrance in the first {a} ingredients.' },
    ],
    mistakes: [
      { name: 'Over-exfoliating', detail: 'Exfoliate at most {a} times a week while using {ts}.' },
      { name: 'Too many new products at once', detail: 'With {a} new products you cannot tell which one caused a reaction to {ts}.' },
      { name: 'Skipping sunscreen on grey days', detail: 'Daylight reaches your skin through clouds; SPF {b} stays in the routine.' },
      { name: 'Mistaking tingling for results', detail: 'If {ts} stings, rinse it off; tingling is irritation.' },
    ],
    myths: [
      {
        claim: 'natural products are always gentler',
        answer: 'Plenty of natural ingredients irritate; check {ts} for fragrance and essential oils.',
      },
      { claim: 'more steps mean better skin', answer: 'A {a}-step routine with {ts} is easier on sensitive skin than ten steps.' },
    ],
    examples: [
      'A customer patch-tested {ts} for {a} evenings and avoided a week of redness.',
      'Switching to a {a}-step routine with {ts} calmed my cheeks more than any serum.',
    ],
  },
  gaming: {
    tags: ['gamedev', 'indiedev', 'indiegame', 'gamedevelopment'],
    win: 'a game players can actually play',
    actions: [
      { name: 'Cut a feature', detail: 'Drop the feature of {ts} that costs the most weeks; most players will never miss it.' },
      { name: 'Add juice to one action', detail: 'A splash particle and {a} frames of squash make {ts} feel alive.' },
      { name: 'Playtest with strangers', detail: 'Watch {a} strangers play {ts} without saying a word.' },
      { name: 'Post a devlog clip', detail: 'A {b}-second clip of {ts} in motion does more than a page of text.' },
      { name: 'Keep a scope list', detail: 'Write every idea for {ts} on a “later” list instead of building it now.' },
      { name: 'Polish the first minutes', detail: 'The first {a} minutes of {ts} decide whether players keep going.' },
      { name: 'Update the Steam page', detail: 'A new capsule or GIF of {ts} lifts page-to-wishlist conversion.' },
      { name: 'Build a vertical slice', detail: 'Finish one level of {ts} to release quality before making more.' },
    ],
    mistakes: [
      { name: 'Building systems nobody sees', detail: 'Players see {ts} in the first {a} minutes; build that first.' },
      { name: 'Hiding the game until it is done', detail: 'Show {ts} early; wishlists need months to build.' },
      { name: 'Tutorial popups', detail: 'Players skip popups; teach {ts} through the first level instead.' },
      { name: 'Saying yes to every idea', detail: 'Each extra idea for {ts} is weeks of work; keep a later list.' },
    ],
    myths: [
      {
        claim: 'a game needs a huge wishlist count before launch',
        answer: 'Wishlists predict the launch-week audience of {ts}, not success.',
      },
      { claim: 'more features make a better game', answer: 'A small game with {ts} done well beats a big unfinished one.' },
    ],
    examples: [
      'I cut {a} features from {ts} and it finally felt shippable.',
      'A {b}-second clip of {ts} brought more wishlists than a week of text posts.',
    ],
  },
};
