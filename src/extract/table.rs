//! The extractor's rule table: sentences and headlines written for tollmap, each with the
//! claims it must give. Publication date of every case: Monday 2016-08-08.
//!
//! A claim is written `COUNT OUTCOME VICTIMS; key=value; ...` where COUNT is `8` (exactly),
//! `61+` (no upper bound) or `24..99`, and only the keys given are checked:
//! `q` qualifier, `by` claimant (`-` for none), `at` / `from` / `remains` a place mention with
//! that role, `date` `YYYY-MM-DD[..YYYY-MM-DD] precision`, `scope`, `part_of` (1-based index of
//! the total within the case), `vt` victims text.

use super::*;
use crate::model::{DatePrecision, Qualifier};

/// (text, expected claims; an empty list means no claim at all).
const CASES: &[(&str, &[&str])] = &[
    // Counts: digits, separators, number words.
    (
        "Eight people were killed in Jableh on Friday.",
        &["8 killed unknown; q=exact; at=Jableh; date=2016-08-05 day"],
    ),
    (
        "Shelling injured 1,250 people in Aleppo.",
        &["1250 wounded unknown; at=Aleppo"],
    ),
    (
        "Thirty-five soldiers were wounded in Homs.",
        &["35 wounded pro_government; at=Homs"],
    ),
    (
        "A dozen civilians died in an air strike on Saraqeb.",
        &["12 killed civilians; at=Saraqeb"],
    ),
    (
        "Two hundred rebels were killed in the battle for Aleppo.",
        &["200 killed opposition; at=Aleppo"],
    ),
    (
        "Government shelling killed 1,556 people in Homs in a year.",
        &["1556 killed unknown; at=Homs"],
    ),
    (
        "Twenty-one soldiers were killed near Palmyra.",
        &["21 killed pro_government; at=Palmyra"],
    ),
    // Vague quantities: documented conservative ranges, or nothing.
    (
        "Dozens of civilians were killed in Douma.",
        &["24..99 killed civilians; q=vague; at=Douma"],
    ),
    (
        "Scores of fighters were killed near Palmyra.",
        &["40..199 killed unknown; q=vague"],
    ),
    (
        "Hundreds of children have been killed in Idlib.",
        &["200..999 killed civilians; q=vague; at=Idlib"],
    ),
    (
        "Tens of thousands of people have been killed since 2011.",
        &["20000..99999 killed unknown; q=vague; scope=cumulative"],
    ),
    ("A large number of soldiers were killed in Hama.", &[]),
    (
        "Several civilians were wounded in Daraa.",
        &["3..9 wounded civilians; q=vague; at=Daraa"],
    ),
    // Qualifiers.
    (
        "At least 75 regime troops were killed near Idlib.",
        &["75+ killed pro_government; q=at_least; at=Idlib"],
    ),
    (
        "More than 60 soldiers died in Aleppo.",
        &["61+ killed pro_government; q=more_than"],
    ),
    (
        "Over 70 people were killed in Baniyas.",
        &["71+ killed unknown; q=more_than; at=Baniyas"],
    ),
    (
        "The number of dead soldiers is higher than 40 in Tartous.",
        &["41+ killed pro_government; q=more_than"],
    ),
    (
        "Nearly 100 civilians were killed in Raqqa.",
        &["90..99 killed civilians; q=about; at=Raqqa"],
    ),
    (
        "Almost 50 rebels were killed in Daraa.",
        &["45..49 killed opposition; q=about"],
    ),
    (
        "Up to 20 civilians may have died in Kafranbel.",
        &["1..20 killed civilians; q=at_most"],
    ),
    (
        "About 30 SDF fighters died in Manbij.",
        &["27..33 killed kurdish_forces; q=about; at=Manbij"],
    ),
    (
        "Around 100 soldiers were wounded in Deir Ezzor.",
        &["90..110 wounded pro_government; q=about; at=Deir Ezzor"],
    ),
    (
        "Between 10 and 15 ISIS militants were killed in Palmyra.",
        &["10..15 killed jihadist; q=range; at=Palmyra"],
    ),
    (
        "The death toll in Aleppo passes 300.",
        &["301+ killed unknown; q=more_than; at=Aleppo"],
    ),
    // Implicit singulars.
    (
        "A rebel commander was killed in Idlib.",
        &["1 killed opposition; at=Idlib"],
    ),
    (
        "Air strike kills cleric in Douma",
        &["1 killed civilians; at=Douma"],
    ),
    (
        "A child was killed by sniper fire in Daraa.",
        &["1 killed civilians; at=Daraa"],
    ),
    (
        "The 20-year-old soldier was killed in Aleppo on Sunday.",
        &["1 killed pro_government; at=Aleppo; date=2016-08-07 day"],
    ),
    // Outcomes.
    (
        "Five civilians were found dead in Homs.",
        &["5 killed civilians; at=Homs"],
    ),
    (
        "The bombing caused 12 deaths in Jisr al-Shughur.",
        &["12 killed unknown"],
    ),
    (
        "Officials reported 9 fatalities in Qardaha.",
        &["9 killed unknown; at=Qardaha"],
    ),
    (
        "Seven soldiers were slain in an ambush near Palmyra.",
        &["7 killed pro_government; at=Palmyra"],
    ),
    (
        "Four rebels lost their lives in Hama.",
        &["4 killed opposition; at=Hama"],
    ),
    (
        "The death toll from the attack in Tartous rose to 48.",
        &["48 killed unknown; at=Tartous"],
    ),
    (
        "The blast in Jableh killed 20 people and wounded 35.",
        &["20 killed unknown; at=Jableh", "35 wounded unknown; at=Jableh"],
    ),
    (
        "Shelling hit Aleppo, killing 11 civilians.",
        &["11 killed civilians; at=Aleppo"],
    ),
    (
        "Ten people were injured in Latakia.",
        &["10 wounded unknown; at=Latakia"],
    ),
    (
        "Fighting caused 40 casualties among rebels in Daraa.",
        &["40 killed_or_wounded opposition; at=Daraa"],
    ),
    (
        "Six soldiers were killed and wounded in Homs.",
        &["6 killed_or_wounded pro_government; at=Homs"],
    ),
    (
        "Rebels said they seized 40 soldiers in Daraa.",
        &["40 captured pro_government; at=Daraa"],
    ),
    (
        "Three aid workers were abducted near Idlib.",
        &["3 captured civilians; at=Idlib"],
    ),
    (
        "Fifteen soldiers were taken prisoner in Raqqa.",
        &["15 captured pro_government; at=Raqqa"],
    ),
    (
        "Twelve people remain missing after the raid on Raqqa.",
        &["12 missing unknown; at=Raqqa"],
    ),
    (
        "Rebels captured 60 government fighters in Idlib.",
        &["60 captured pro_government; at=Idlib"],
    ),
    (
        "Two soldiers died of their wounds in Hama.",
        &["2 killed pro_government; at=Hama"],
    ),
    // Victims.
    (
        "Nine NDF militiamen were killed in Hama.",
        &["9 killed pro_government; at=Hama"],
    ),
    (
        "Eleven loyalists died in Qardaha.",
        &["11 killed pro_government; at=Qardaha"],
    ),
    (
        "Four Hezbollah fighters were killed near Qusayr.",
        &["4 killed pro_government"],
    ),
    (
        "Twenty opposition fighters were killed in Aleppo.",
        &["20 killed opposition; at=Aleppo"],
    ),
    (
        "Six Nusra Front militants were killed in Idlib.",
        &["6 killed jihadist; at=Idlib"],
    ),
    (
        "Eight YPG fighters died in Kobani.",
        &["8 killed kurdish_forces"],
    ),
    (
        "Two Turkish soldiers were killed near Al-Bab.",
        &["2 killed foreign_forces; at=Al-Bab"],
    ),
    (
        "Ten regime forces and allied militias died in Aleppo.",
        &["10 killed pro_government; vt=regime forces and allied militias; at=Aleppo"],
    ),
    (
        "Air strikes killed 14 residents of Maarat al-Numan.",
        &["14 killed civilians"],
    ),
    (
        "Shelling killed six residents of Douma in their homes.",
        &["6 killed civilians; from=Douma"],
    ),
    (
        "Four women were killed by shelling in Douma.",
        &["4 killed civilians; at=Douma"],
    ),
    // Claimants.
    (
        "Fourteen rebels were killed in Aleppo, according to the Syrian Observatory for Human Rights.",
        &["14 killed opposition; by=Syrian Observatory for Human Rights; at=Aleppo"],
    ),
    (
        "State media said 7 soldiers were killed in Homs.",
        &["7 killed pro_government; by=State media; at=Homs"],
    ),
    (
        "Activists reported that 9 civilians died in Douma.",
        &["9 killed civilians; by=Activists; at=Douma"],
    ),
    (
        "A rebel source said 15 soldiers were killed in Hama.",
        &["15 killed pro_government; by=A rebel source; at=Hama"],
    ),
    (
        "Nine soldiers were killed in Hama yesterday, a military source said.",
        &["9 killed pro_government; by=a military source; date=2016-08-07 day"],
    ),
    (
        "The army confirmed that 6 soldiers were killed in Deir Ezzor.",
        &["6 killed pro_government; by=army"],
    ),
    (
        "Air strikes kill 18 in Idlib: monitor",
        &["18 killed unknown; by=monitor; at=Idlib"],
    ),
    (
        "Five civilians were killed in Idlib.",
        &["5 killed civilians; by=-; at=Idlib"],
    ),
    (
        "Over 70 people were killed in Baniyas, according to a war monitor. The Syrian Observatory for Human Rights said fighting began on Thursday.",
        &["71+ killed unknown; by=Syrian Observatory for Human Rights; at=Baniyas"],
    ),
    (
        "Medics told reporters that 4 children had died in Aleppo.",
        &["4 killed civilians; by=Medics; at=Aleppo"],
    ),
    // Headlines of wire services: who killed is not who died; releases are no captures.
    (
        "Syria regime kills 17 in Nabuk: monitor",
        &["17 killed unknown; by=monitor; at=Nabuk"],
    ),
    (
        "Damascus blast kills four as rebels take Christian town",
        &["4 killed unknown; at=Damascus"],
    ),
    (
        "Syrian army kills 15 in Sunni village - activists",
        &["15 killed unknown; by=activists"],
    ),
    ("Syria frees 64 women detainees after hostage deal", &[]),
    (
        "Government attacks in Aleppo - Hundreds of civilians killed",
        &["200..999 killed civilians; by=-; at=Aleppo"],
    ),
    (
        "Top rebel killed as talks open in Geneva",
        &["1 killed opposition"],
    ),
    (
        "Red Crescent mourns the death of another aid worker in Idlib",
        &["1 killed civilians; at=Idlib"],
    ),
    (
        "Rebel commander freezes to death in Aleppo: monitor",
        &["1 killed opposition; by=monitor; at=Aleppo"],
    ),
    (
        "The soldier killed two gunmen before he was captured.",
        &["2 killed unknown"],
    ),
    (
        "Rebels kill top officer in Hama",
        &["1 killed unknown; at=Hama"],
    ),
    // Places and their roles.
    (
        "Five soldiers from Jableh were killed in Aleppo.",
        &["5 killed pro_government; from=Jableh; at=Aleppo"],
    ),
    (
        "Funerals were held in Tartous for 9 soldiers killed in Hama.",
        &["9 killed pro_government; remains=Tartous; at=Hama"],
    ),
    (
        "The bodies of 6 fighters killed in Aleppo were taken to a morgue in Latakia.",
        &["6 killed unknown; at=Aleppo; remains=Latakia"],
    ),
    (
        "Clashes near Saraqeb killed 10 rebels.",
        &["10 killed opposition; at=Saraqeb"],
    ),
    (
        "Fighting in the southern countryside of Idlib killed 22 soldiers.",
        &["22 killed pro_government; at=Idlib"],
    ),
    (
        "Three fighters from Beit Yashout were killed in Aleppo.",
        &["3 killed unknown; from=Beit Yashout; at=Aleppo"],
    ),
    (
        "Eight residents of Qardaha were killed in Deir Ezzor.",
        &["8 killed unknown; from=Qardaha; at=Deir Ezzor"],
    ),
    // Dates against the publication date (Monday 2016-08-08).
    (
        "Four civilians were killed in Homs on Saturday.",
        &["4 killed civilians; date=2016-08-06 day"],
    ),
    (
        "On Monday, 3 soldiers were killed in Hama.",
        &["3 killed pro_government; date=2016-08-08 day"],
    ),
    (
        "Seven people were killed in Daraa on 3 August 2016.",
        &["7 killed unknown; date=2016-08-03 day"],
    ),
    (
        "On July 30, 2016, 14 rebels were killed in Hama.",
        &["14 killed opposition; date=2016-07-30 day"],
    ),
    (
        "Since May, 300 civilians have been killed in Aleppo.",
        &["300 killed civilians; date=2016-05-01..2016-08-08 range"],
    ),
    (
        "At least 180 troops were killed in five weeks in Idlib.",
        &["180+ killed pro_government; date=2016-07-05..2016-08-08 range"],
    ),
    (
        "Six people were killed in Aleppo last week.",
        &["6 killed unknown; date=2016-08-01..2016-08-07 week"],
    ),
    (
        "More than 60 soldiers have died since the start of the battle for Aleppo.",
        &["61+ killed pro_government; date=..2016-08-08 range"],
    ),
    (
        "Nine civilians were killed in Homs.",
        &["9 killed civilians; date=..2016-08-08 unknown"],
    ),
    // Scope and structure.
    (
        "More than 500,000 people have died since 2011.",
        &["500001+ killed unknown; scope=cumulative"],
    ),
    (
        "Over 70 people were killed in Baniyas, including 35 soldiers and four civilians.",
        &[
            "71+ killed unknown; scope=event",
            "35 killed pro_government; part_of=1",
            "4 killed civilians; part_of=1",
        ],
    ),
    (
        "Over 40 people were killed in Jableh on Monday, including 22 soldiers, two gunmen and three civilians.",
        &[
            "41+ killed unknown; at=Jableh",
            "22 killed pro_government; part_of=1",
            "2 killed unknown; part_of=1",
            "3 killed civilians; part_of=1",
        ],
    ),
    (
        "At least 30 people died in Homs on Friday, among them 12 children.",
        &["30+ killed unknown", "12 killed civilians; part_of=1"],
    ),
    (
        "The toll reached 2,000 deaths, including 450 children.",
        &["2000 killed unknown", "450 killed civilians; part_of=1"],
    ),
    (
        "Over 50 people were killed in Jableh.\nThe dead included 30 soldiers, 15 gunmen and six civilians.",
        &[
            "51+ killed unknown",
            "30 killed pro_government; part_of=1; at=Jableh",
            "15 killed unknown; part_of=1",
            "6 killed civilians; part_of=1",
        ],
    ),
    (
        "Some 62,000 troops have been killed in the war, the monitor said.",
        &["55800..68200 killed pro_government; scope=cumulative; by=monitor"],
    ),
    // Noise: numbers that are not casualties, words that contain "dead", boilerplate.
    ("Government forces captured 15 villages near Hama.", &[]),
    ("The war has lasted 14 years.", &[]),
    ("Some 30,000 residents fled Idlib in five months.", &[]),
    ("The deadline for talks in Geneva passed in 2016.", &[]),
    ("The deadlock over Aleppo lasted 20 days.", &[]),
    ("A 35-year-old man was arrested in Homs.", &[]),
    ("Rebels launched 40 attacks on army posts in Hama.", &[]),
    ("In 2015, 1.2 million refugees reached Europe.", &[]),
    ("Russia has deployed 4,000 troops to Syria.", &[]),
    // Breakdowns: the parts link to their total and are never added on top of it.
    (
        "At least twelve people, among them four children, were killed in Saraqib.",
        &["12+ killed unknown; at=Saraqib", "4 killed civilians; part_of=1; at=Saraqib"],
    ),
    (
        "Shelling killed 9 citizens (7 children and an old man) in Kafr Nabl.",
        &[
            "9 killed civilians; at=Kafr Nabl",
            "7 killed civilians; part_of=1",
            "1 killed civilians; part_of=1",
        ],
    ),
    (
        "The toll rose to 31 -including five children and 4 women- in the raid on Ariha.",
        &[
            "31 killed unknown; at=Ariha",
            "5 killed civilians; part_of=1",
            "4 killed civilians; part_of=1",
        ],
    ),
    (
        "Eleven civilians, including a woman and three children, were killed in Binnish.",
        &[
            "11 killed civilians; at=Binnish",
            "1 killed civilians; part_of=1",
            "3 killed civilians; part_of=1",
        ],
    ),
    (
        "The strikes left 14 dead, of whom 6 were children, in Maarrat al-Numan.",
        &["14 killed unknown", "6 killed civilians; part_of=1"],
    ),
    (
        "Air raids on Khan Shaykhun killed 20 civilians: 8 children, 5 women and 7 men.",
        &[
            "20 killed civilians; at=Khan Shaykhun",
            "8 killed civilians; part_of=1",
            "5 killed civilians; part_of=1",
            "7 killed civilians; part_of=1",
        ],
    ),
    (
        "The clashes left 17 combatants, one soldier and four civilians including a boy dead in Tadmur.",
        &[
            "17 killed unknown",
            "1 killed pro_government",
            "4 killed civilians",
            "1 killed civilians; part_of=3",
        ],
    ),
    // Counts the rules used to miss: postposed qualifiers, bodies, singulars, vague tens.
    (
        "The attack on Sarmin killed 44 persons at least and wounded tens of others.",
        &["44+ killed unknown; at=Sarmin", "20..99 wounded unknown"],
    ),
    (
        "Rescuers recovered 37 bodies from the rubble in Jisr al-Shughur.",
        &["37 killed unknown; at=Jisr al-Shughur"],
    ),
    (
        "A child died of his wounds in Kafr Takharim.",
        &["1 killed civilians; at=Kafr Takharim"],
    ),
    (
        "Nine detainees were murdered in the prison of Hama, the monitor said.",
        &["9 killed unknown; by=monitor"],
    ),
    (
        "The number of civilians who were killed in the shelling of Atarib has risen to 27.",
        &["27 killed civilians; at=Atarib"],
    ),
    // Perpetrators are no victims; the wounded who are "others" are who the dead were.
    (
        "Two gunmen on a motorcycle shot dead a shepherd near Sukhnah.",
        &["1 killed civilians"],
    ),
    (
        "Four civilians were killed and nine others wounded in Darkush.",
        &["4 killed civilians; at=Darkush", "9 wounded civilians; at=Darkush"],
    ),
    // Victims from context: a bare count said with the figure before it, the parts of a
    // total of fighters, the target the next sentence names, a headline the lead restates,
    // and a list the total's line opens without a colon.
    (
        "Sniper fire killed one protester and wounded five in Inkhil.",
        &["1 killed civilians; at=Inkhil", "5 wounded civilians; at=Inkhil"],
    ),
    (
        "Strikes killed 12 pro-Iranian fighters, including four Iraqis, and more than 20 were wounded near Mayadin.",
        &[
            "12 killed pro_government",
            "4 killed pro_government; part_of=1",
            "21+ wounded pro_government",
        ],
    ),
    (
        "A car bomb killed at least 9 people and wounded 30 others in Azaz. The blast tore through shoppers in the crowded market.",
        &["9+ killed civilians; at=Azaz", "30 wounded civilians; at=Azaz"],
    ),
    (
        "11 farm workers killed by a mine near Sukhnah\n\nAt least 11 people were killed when their truck hit a mine near Sukhnah on Sunday, the monitor said.",
        &["11 killed civilians", "11+ killed civilians; by=monitor"],
    ),
    (
        "Monthly toll\n\n30 civilians, including 4 children. Here is how they died\n\n• 20 civilians were killed in shelling on Douma.\n\n• 10 people were shot dead in Harasta.\n\nCombatants killed\n\n- 12 soldiers and militiamen:\n\n• 9 were killed by landmines.",
        &[
            "30 killed civilians",
            "4 killed civilians; part_of=1",
            "20 killed civilians; part_of=1",
            "10 killed civilians; part_of=1",
            "12 killed pro_government",
            "9 killed pro_government; part_of=5",
        ],
    ),
    // Elliptic figures share the outcome before them; "another" is none of its parts; a
    // label glued to the number, quote marks around it.
    (
        "The monitor said four people were killed in Hama, three in Idlib and then another person in Jisr al-Shughur.",
        &[
            "4 killed unknown; at=Hama",
            "3 killed unknown; at=Idlib",
            "1 killed unknown; at=Jisr al-Shughur",
        ],
    ),
    (
        "Shelling killed two soldiers in Morek, while 9 civilians died in Kafr Zita, including four children.",
        &[
            "2 killed pro_government",
            "9 killed civilians",
            "4 killed civilians; part_of=2",
        ],
    ),
    (
        "Breaking-Seven civilians killed in shelling on Ariha",
        &["7 killed civilians; at=Ariha"],
    ),
    (
        "Monthly report | 42 fata*lities in assa*ssinations in Daraa",
        &["42 killed unknown; at=Daraa"],
    ),
    (
        "A doctor said that ´dozens´ had been wounded in Harasta.",
        &["24..99 wounded unknown; at=Harasta"],
    ),
    // A list opened far from its total ("and they are:"); body figures that add up to the
    // headline's.
    (
        "It rose to 30 at least, the number of people killed in the raid on the villages near Salamiyah, and they are: 12 civilians, 3 persons of the tribes and 15 of the NDF.",
        &[
            "30+ killed unknown",
            "12 killed civilians; part_of=1",
            "3 killed unknown; part_of=1",
            "15 killed pro_government; part_of=1",
        ],
    ),
    (
        "Attack on villages near Salamiyah kills 50 persons at least\n\nThe toll rose to 32 at least, the number of villagers killed in the attack on Salamiyah.\n\nAlso it rose to 18 at least, the number of attackers killed by the defenders.",
        &[
            "50+ killed unknown",
            "32+ killed civilians; part_of=1",
            "18+ killed unknown; part_of=1",
        ],
    ),
    // A list after "including" with no figure before it takes the outcome said before it.
    (
        "The monitor said those killed in the raid were all fighters, including 2 SDF commanders.",
        &["2 killed kurdish_forces"],
    ),
    // A hedged figure is one range; a fate unknown is missing.
    (
        "Two or three people were killed by shelling on Inkhil.",
        &["2..3 killed unknown; q=range; at=Inkhil"],
    ),
    (
        "Gunmen seized five farmers near Hajin, and the fate of the remaining four remains unknown.",
        &["5 captured civilians", "4 missing civilians"],
    ),
    ("The talks will decide the fate of 3 million Syrians in Idlib.", &[]),
    // "they are" opens the list of a total's parts.
    (
        "The monitor documented the deaths of 40 people in the strikes on Tabqa, including 20 civilians, they are 8 children, 4 women and 8 men.",
        &[
            "40 killed unknown",
            "20 killed civilians; part_of=1",
            "8 killed civilians; part_of=2",
            "4 killed civilians; part_of=2",
            "8 killed civilians; part_of=2",
        ],
    ),
    // A pair with no numeral is one figure of two, unless its people are listed one by one.
    (
        "Mortars fell on Harasta, claiming the lives of a man and a woman, and injuring four others.",
        &["2 killed civilians; at=Harasta", "4 wounded civilians"],
    ),
    (
        "A man and a boy were killed by sniper fire in Bosra.",
        &["2 killed civilians; at=Bosra"],
    ),
    (
        "Three people died in the raid on Tafas, including a woman and a child.",
        &[
            "3 killed unknown",
            "1 killed civilians; part_of=1",
            "1 killed civilians; part_of=1",
        ],
    ),
    // Fighters of no side are the side the sentence, or the one before, says was attacked.
    (
        "Drones carried out nine attacks against Kurdish forces near Derbasiyah, killing 7 fighters.",
        &["7 killed kurdish_forces"],
    ),
    (
        "Gunmen opened fire on a checkpoint of the SDF near Busayrah.\nThe attack left three members of the checkpoint dead.",
        &["3 killed kurdish_forces"],
    ),
    // The dateline is no speaker, nor the day it spoke; the speaker's own fighters.
    (
        "QAMISHLI, Hasakah province - The Kurdish-led SDF on Friday announced that two of its fighters were killed by a drone near Amuda.",
        &["2 killed kurdish_forces; by=Kurdish-led SDF"],
    ),
    (
        "Later, the monitor said three people were killed in Saqba.",
        &["3 killed unknown; by=monitor"],
    ),
    // A headline's "killed or injured" sum and the lead's killed and wounded that make it.
    (
        "Rocket fire kills and injures nine civilians in Nubl\n\nThe monitor said rockets on Nubl killed a woman and injured more than 7 others.",
        &[
            "9 killed_or_wounded civilians",
            "1 killed civilians; part_of=1",
            "8+ wounded civilians; part_of=1",
        ],
    ),
    // Victims from names of two words and from the state's side on the claim's date.
    (
        "Eight members of the Syrian Democratic Forces were killed in Shaddadi.",
        &["8 killed kurdish_forces; at=Shaddadi"],
    ),
    (
        "On 7 March 2025, 12 Assad loyalists were killed in clashes near Jableh.",
        &["12 killed opposition"],
    ),
    (
        "On 7 March 2014, 12 Assad loyalists were killed in clashes near Jableh.",
        &["12 killed pro_government"],
    ),
    // Running totals.
    (
        "At least 61 people have been killed by landmines in Syria since early 2023.",
        &["61+ killed unknown; scope=cumulative"],
    ),
    (
        "Drone strikes killed 19 fighters in the last four months in Hasakah province.",
        &["19 killed unknown; scope=cumulative"],
    ),
    // Context: the next sentence's place, the paragraph's claimant.
    (
        "Artillery fire killed at least 15 people on Tuesday. The shells fell on the market of Maarat Misrin.",
        &["15+ killed unknown; at=Maarat Misrin"],
    ),
    (
        "According to the Observatory, strikes hit Taftanaz overnight. Seven civilians were killed there.",
        &["7 killed civilians; by=Observatory"],
    ),
    // Speakers are no places; a list under a colon breaks down its total.
    (
        "Seven people were killed, Hamza Kinan said.",
        &["7 killed unknown; by=Hamza Kinan"],
    ),
    // Dates and wholes are no counts.
    (
        "March 26: two gunmen shot dead a farmer in Hajin.",
        &["1 killed civilians"],
    ),
    (
        "The front, which has two of its seven brigades in Latakia, said a commander was killed.",
        &["1 killed unknown"],
    ),
    // A relative clause between the count and its verb.
    (
        "Three of its guards, who were escorting a convoy near Tabqa, were killed by a drone.",
        &["3 killed unknown"],
    ),
    ("Related by category", &[]),
    ("Home | News | World | Contact us", &[]),
    ("Turkey hosts 3 million Syrian refugees", &[]),
    ("The talks lasted five months and produced no deal.", &[]),
    ("The regime has 20 years of experience in sieges.", &[]),
];

/// What a case expects of one claim.
#[derive(Debug, Default)]
struct Want {
    low: u64,
    high: Option<u64>,
    outcome: String,
    victims: String,
    checks: Vec<(String, String)>,
}

fn parse_want(spec: &str) -> Want {
    let mut parts = spec.split(';').map(str::trim);
    let head: Vec<&str> = parts.next().unwrap_or("").split_whitespace().collect();
    assert_eq!(head.len(), 3, "spec head: {spec}");
    let (low, high) = if let Some(l) = head[0].strip_suffix('+') {
        (l.parse().unwrap(), None)
    } else if let Some((l, h)) = head[0].split_once("..") {
        (l.parse().unwrap(), Some(h.parse().unwrap()))
    } else {
        let n = head[0].parse().unwrap();
        (n, Some(n))
    };
    Want {
        low,
        high,
        outcome: head[1].to_string(),
        victims: head[2].to_string(),
        checks: parts
            .map(|kv| {
                let (k, v) = kv
                    .split_once('=')
                    .unwrap_or_else(|| panic!("{kv} in {spec}"));
                (k.to_string(), v.to_string())
            })
            .collect(),
    }
}

fn name<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_value(v)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

fn place_with_role(c: &Claim, role: PlaceRole) -> Vec<&str> {
    c.places
        .iter()
        .filter(|p| p.role == role)
        .map(|p| p.mention.as_str())
        .collect()
}

/// The differences between a claim and what the case wants of it.
fn mismatches(c: &Claim, w: &Want, ids: &[String]) -> Vec<String> {
    let mut out = Vec::new();
    let mut check = |what: &str, got: String, want: &str| {
        if got != want {
            out.push(format!("{what}: got {got:?}, want {want:?}"));
        }
    };
    check(
        "count",
        format!("{:?}", (c.count.low, c.count.high)),
        &format!("{:?}", (w.low, w.high)),
    );
    check("outcome", name(&c.outcome), &w.outcome);
    check("victims", name(&c.victims), &w.victims);
    for (k, v) in &w.checks {
        match k.as_str() {
            "q" => check("qualifier", name(&c.count.qualifier), v),
            "by" => check(
                "claimant",
                c.claimant.clone().unwrap_or_else(|| "-".into()),
                v,
            ),
            "at" | "from" | "remains" => {
                let role = match k.as_str() {
                    "at" => PlaceRole::Event,
                    "from" => PlaceRole::Origin,
                    _ => PlaceRole::Remains,
                };
                let got = place_with_role(c, role);
                if !got.contains(&v.as_str()) {
                    check(k, format!("{got:?}"), v);
                }
            }
            "date" => {
                let (range, precision) = v.split_once(' ').unwrap_or((v, ""));
                let (start, end) = range.split_once("..").unwrap_or((range, range));
                let fmt =
                    |d: Option<jiff::civil::Date>| d.map(|d| d.to_string()).unwrap_or_default();
                check("date start", fmt(c.date.start), start);
                check("date end", fmt(c.date.end), end);
                check("date precision", name(&c.date.precision), precision);
            }
            "scope" => check("scope", name(&c.scope), v),
            "part_of" => {
                let i: usize = v.parse().unwrap();
                check(
                    "part_of",
                    c.part_of.clone().unwrap_or_default(),
                    &ids[i - 1],
                )
            }
            "vt" => check(
                "victims_text",
                c.victims_text.clone().unwrap_or_default(),
                v,
            ),
            other => panic!("unknown key {other}"),
        }
    }
    out
}

#[test]
fn claim_table() {
    let gaz = Gazetteer::shared().expect("gazetteer");
    let mut failures = Vec::new();
    for (text, wants) in CASES {
        let doc = Document {
            id: "t".into(),
            title: None,
            text: (*text).into(),
            source: "table".into(),
            url: None,
            outlet: None,
            published: Some(jiff::civil::date(2016, 8, 8)),
        };
        let got = claims(&doc, gaz);
        let ids: Vec<String> = got.iter().map(|c| c.id.clone()).collect();
        if got.len() != wants.len() {
            let short: Vec<String> = got
                .iter()
                .map(|c| format!("{} {} {}", c.count.text, name(&c.outcome), name(&c.victims)))
                .collect();
            failures.push(format!(
                "{text:?}: {} claims {short:?}, want {}",
                got.len(),
                wants.len()
            ));
            continue;
        }
        for (c, spec) in got.iter().zip(wants.iter()) {
            let m = mismatches(c, &parse_want(spec), &ids);
            if !m.is_empty() {
                failures.push(format!("{text:?}: {}", m.join("; ")));
            }
        }
    }
    assert!(
        CASES.len() >= 80,
        "the table holds {} cases; the rules want at least 80",
        CASES.len()
    );
    assert!(
        failures.is_empty(),
        "{} of {} cases fail:\n{}",
        failures.len(),
        CASES.len(),
        failures.join("\n")
    );
}

#[test]
fn qualifier_and_precision_names_are_the_contract_ones() {
    assert_eq!(name(&Qualifier::AtLeast), "at_least");
    assert_eq!(name(&DatePrecision::Range), "range");
}
