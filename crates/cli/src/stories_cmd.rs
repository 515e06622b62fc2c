//! `rased stories`: the stories of a store (every outlet's report of the same news), one
//! story's full coverage, or the stories reclustered after a change of the clustering.

use std::io::Write;
use std::process::ExitCode;

use anyhow::bail;
use rased_store::{ArticleFilter, StoryDetail, StoryRecord};

use crate::store_cmd::{Data, DataArgs};

/// Arguments of `rased stories`.
#[derive(clap::Args, Debug)]
pub struct StoriesArgs {
    #[command(flatten)]
    pub data: DataArgs,
    /// Show this story's coverage (every report newest first, entities, events, timeline)
    /// instead of the list.
    pub id: Option<String>,
    /// Recluster every stored article in ingest order (deterministic: the same store gives
    /// the same stories).
    #[arg(long, conflicts_with = "id")]
    pub rebuild: bool,
    /// Only stories with a report from this outlet.
    #[arg(long)]
    pub outlet: Option<String>,
    /// Only stories with a report published on or after this date (YYYY-MM-DD).
    #[arg(long)]
    pub from: Option<String>,
    /// Only stories with a report published on or before this date (YYYY-MM-DD).
    #[arg(long)]
    pub to: Option<String>,
    /// Only stories of at least this many outlets.
    #[arg(long, default_value_t = 1)]
    pub min_outlets: usize,
    /// Most stories listed (the most recently updated first).
    #[arg(long, default_value_t = 50)]
    pub limit: usize,
}

pub fn run(args: &StoriesArgs) -> anyhow::Result<ExitCode> {
    let data = Data::open_existing(&args.data)?;
    let store = data.store();
    let mut out = std::io::stdout().lock();
    if args.rebuild {
        let (articles, stories) = store.rebuild_stories()?;
        if args.data.json {
            writeln!(
                out,
                "{}",
                serde_json::json!({"articles": articles, "stories": stories})
            )?;
        } else {
            writeln!(out, "{articles} articles in {stories} stories")?;
        }
        return Ok(ExitCode::SUCCESS);
    }
    if let Some(id) = &args.id {
        let Some(detail) = store.story_detail(id)? else {
            bail!("no story {id} in {}", args.data.location());
        };
        if args.data.json {
            writeln!(out, "{}", serde_json::to_string(&detail)?)?;
        } else {
            print_detail(&mut out, &detail)?;
        }
        return Ok(ExitCode::SUCCESS);
    }
    let stories = list(store, args)?;
    for s in &stories {
        if args.data.json {
            writeln!(out, "{}", serde_json::to_string(s)?)?;
        } else {
            print_line(&mut out, s)?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Up to `limit` stories matching the filter and with enough outlets (the store's listing
/// is paged through, so `--min-outlets` does not shorten the list).
fn list(store: &dyn rased_store::Store, args: &StoriesArgs) -> anyhow::Result<Vec<StoryRecord>> {
    const PAGE: usize = 200;
    let mut found = Vec::new();
    for page in 0.. {
        let filter = ArticleFilter {
            outlet: args.outlet.clone(),
            from: args.from.clone(),
            to: args.to.clone(),
            limit: PAGE,
            offset: page * PAGE,
            ..Default::default()
        };
        let stories = store.stories(&filter)?;
        let last = stories.len() < PAGE;
        found.extend(
            stories
                .into_iter()
                .filter(|s| s.outlets.len() >= args.min_outlets),
        );
        if last || found.len() >= args.limit {
            break;
        }
    }
    found.truncate(args.limit);
    Ok(found)
}

/// `id  articles  outlets  first..last  label`.
fn print_line(out: &mut impl Write, s: &StoryRecord) -> std::io::Result<()> {
    writeln!(
        out,
        "{}\t{} articles\t{} outlets\t{}..{}\t{}",
        s.id,
        s.articles,
        s.outlets.len(),
        day(s.first_published.as_deref()),
        day(s.last_published.as_deref()),
        s.label.as_deref().unwrap_or("")
    )
}

fn print_detail(out: &mut impl Write, d: &StoryDetail) -> std::io::Result<()> {
    print_line(out, &d.story)?;
    let outlets: Vec<String> = d
        .story
        .outlets
        .iter()
        .map(|(o, n)| format!("{o} ({n})"))
        .collect();
    writeln!(out, "outlets: {}", outlets.join("، "))?;
    writeln!(out, "\nreports, newest first:")?;
    for a in &d.articles {
        writeln!(
            out,
            "  {}\t{}\t{}\t{}{}",
            day(a.published.as_deref()),
            a.outlet.as_deref().unwrap_or("-"),
            a.id,
            a.title.as_deref().unwrap_or(""),
            a.copy_of
                .as_deref()
                .map_or(String::new(), |c| format!("\t(copy of {c})"))
        )?;
    }
    writeln!(out, "\nentities (reports naming them):")?;
    for e in &d.entities {
        writeln!(out, "  {}\t{}\t{}\t{}", e.reports, e.kind, e.name, e.id)?;
    }
    writeln!(out, "\nevents (reports):")?;
    for e in &d.events {
        let names = |ps: &[rased_model::Participant]| {
            ps.iter()
                .map(|p| p.text.as_str())
                .collect::<Vec<_>>()
                .join("، ")
        };
        writeln!(
            out,
            "  {}\t{}\t{} → {}\t{}",
            e.reports,
            e.event.kind,
            names(&e.event.actors),
            names(&e.event.recipients),
            e.event.date.as_deref().unwrap_or("-")
        )?;
    }
    writeln!(out, "\ntimeline:")?;
    for t in &d.timeline {
        let day = if t.day.is_empty() { "undated" } else { &t.day };
        writeln!(out, "  {day}\t{}\t{}", t.articles, t.outlets.join("، "))?;
    }
    Ok(())
}

fn day(iso: Option<&str>) -> &str {
    iso.and_then(|d| d.get(..10)).unwrap_or("?")
}
