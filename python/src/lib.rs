//! `tollmap._tollmap`: the extension module under the Python package. It hands Python's
//! documents to the library's extractor, resolver, build and command line, and gives back
//! claims and answers as dicts in the claim JSON contract. The GIL is released while the
//! library works, so Python threads extracting at once run in parallel.

use std::ffi::OsString;
use std::path::PathBuf;
use std::sync::OnceLock;

use pyo3::create_exception;
use pyo3::exceptions::{PyException, PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PyString};

use tollmap::cli::alloc;
use tollmap::model::{Claim, Document};
use tollmap::Pipeline;

mod topy;

/// The extension's allocator is the binary's (mimalloc): the extractor allocates many small
/// strings, and the system allocator cost it about a tenth of its time.
#[global_allocator]
static ALLOCATOR: alloc::MiMalloc = alloc::MiMalloc;

create_exception!(
    _tollmap,
    TollmapError,
    PyException,
    "An input tollmap could not read or a run that failed. `input` names the input (a path, a \
     URL, `path:line`, or `docs[i]` of `extract_many`) and `line` the line, when known."
);

/// The pipeline on the bundled gazetteer, loaded once per process (a Spark executor's
/// Python worker loads it once, for every batch it is given).
static PIPELINE: OnceLock<Pipeline> = OnceLock::new();

fn pipeline() -> PyResult<&'static Pipeline> {
    if let Some(p) = PIPELINE.get() {
        return Ok(p);
    }
    let p = Pipeline::new().map_err(|e| error(&e, None, None))?;
    Ok(PIPELINE.get_or_init(|| p))
}

/// A `TollmapError` with the error's whole chain as its message, and `input` and `line` set.
fn error(
    e: &(dyn std::error::Error + 'static),
    input: Option<String>,
    line: Option<usize>,
) -> PyErr {
    let message = tollmap::util::report::chain(e);
    let (mut input, mut line) = (input, line);
    if input.is_none() {
        let mut walk: Option<&(dyn std::error::Error + 'static)> = Some(e);
        while let Some(w) = walk {
            if let Some(ingest) = w.downcast_ref::<tollmap::ingest::IngestError>() {
                (input, line) = ingest.location();
                break;
            }
            if let Some(tollmap::Error::Ingest(ingest)) = w.downcast_ref::<tollmap::Error>() {
                (input, line) = ingest.location();
                break;
            }
            walk = w.source();
        }
    }
    raised(message, input, line)
}

fn raised(message: String, input: Option<String>, line: Option<usize>) -> PyErr {
    Python::attach(|py| {
        let err = TollmapError::new_err(message);
        let value = err.value(py);
        // Setting attributes on a fresh exception cannot fail but for memory.
        let _ = value.setattr("input", input);
        let _ = value.setattr("line", line);
        err
    })
}

/// A JSON value as Python objects (dicts keep the JSON's key order).
fn to_py<'py>(py: Python<'py>, v: &serde_json::Value) -> PyResult<Bound<'py, PyAny>> {
    use serde_json::Value;
    Ok(match v {
        Value::Null => py.None().into_bound(py),
        Value::Bool(b) => b.into_pyobject(py)?.to_owned().into_any(),
        Value::Number(n) => {
            if let Some(i) = n.as_i64() {
                i.into_pyobject(py)?.into_any()
            } else if let Some(u) = n.as_u64() {
                u.into_pyobject(py)?.into_any()
            } else {
                n.as_f64().unwrap_or(f64::NAN).into_pyobject(py)?.into_any()
            }
        }
        Value::String(s) => PyString::new(py, s).into_any(),
        Value::Array(a) => {
            let list = PyList::empty(py);
            for item in a {
                list.append(to_py(py, item)?)?;
            }
            list.into_any()
        }
        Value::Object(o) => {
            let dict = PyDict::new(py);
            for (k, item) in o {
                dict.set_item(k, to_py(py, item)?)?;
            }
            dict.into_any()
        }
    })
}

/// Claims as a list of dicts. Python's cyclic garbage collector is paused meanwhile (and
/// resumed if it ran): the dicts hold no cycles, and a collection every 700 new containers
/// doubled the time a corpus's claims took.
fn claims_to_py<'py>(py: Python<'py>, claims: &[Claim]) -> PyResult<Bound<'py, PyList>> {
    let gc = py.import("gc")?;
    let was_on: bool = gc.call_method0("isenabled")?.extract()?;
    if was_on {
        gc.call_method0("disable")?;
    }
    let mut names = topy::Names::default();
    let made = (|| {
        let list = PyList::empty(py);
        for c in claims {
            list.append(topy::to_py(py, &mut names, c)?)?;
        }
        Ok(list)
    })();
    if was_on {
        gc.call_method0("enable")?;
    }
    made
}

/// A `published` value: an ISO 8601 date or date-time string, or anything with
/// `isoformat()` (`datetime.date`, `datetime.datetime`, `pandas.Timestamp`), or None.
fn published_of(v: Option<&Bound<'_, PyAny>>, input: &str) -> PyResult<Option<jiff::civil::Date>> {
    let Some(v) = v.filter(|v| !missing(v)) else {
        return Ok(None);
    };
    let text: String = if let Ok(s) = v.extract::<String>() {
        s
    } else if v.hasattr("isoformat")? {
        v.call_method0("isoformat")?.extract()?
    } else {
        return Err(PyTypeError::new_err(format!(
            "{input}: `published` must be a string or a date, not {}",
            v.get_type().name()?
        )));
    };
    if text.trim().is_empty() {
        return Ok(None);
    }
    match tollmap::ingest::parse_date(&text) {
        Some(d) => Ok(Some(d)),
        None => Err(raised(
            format!("`published` value `{text}` is not an ISO 8601 date"),
            Some(input.to_string()),
            None,
        )),
    }
}

/// None, or what pandas puts in an empty cell (NaN, NaT, `pd.NA`: a value not equal to
/// itself, or whose comparison has no truth value).
fn missing(v: &Bound<'_, PyAny>) -> bool {
    if v.is_none() {
        return true;
    }
    if v.is_instance_of::<PyString>() {
        return false;
    }
    v.ne(v).unwrap_or(true)
}

/// An optional string field of a document.
fn string_of(v: Option<Bound<'_, PyAny>>, field: &str, input: &str) -> PyResult<Option<String>> {
    match v {
        None => Ok(None),
        Some(v) if missing(&v) => Ok(None),
        Some(v) => v.extract::<String>().map(Some).map_err(|_| {
            PyTypeError::new_err(format!("{input}: field `{field}` must be a string"))
        }),
    }
}

/// A document as the library's, checked as `tollmap extract` checks a JSON Lines record.
fn document(
    id: String,
    text: String,
    title: Option<String>,
    url: Option<String>,
    outlet: Option<String>,
    published: Option<jiff::civil::Date>,
    input: &str,
) -> PyResult<Document> {
    let trimmed = tollmap::ingest::trim_boilerplate(&text);
    let text = if trimmed.len() == text.len() {
        text
    } else {
        trimmed.to_string()
    };
    if text.len() > tollmap::ingest::MAX_DOCUMENT_BYTES {
        return Err(raised(
            format!(
                "document `{id}` has {} bytes of text, more than the {} read as one document",
                text.len(),
                tollmap::ingest::MAX_DOCUMENT_BYTES
            ),
            Some(input.to_string()),
            None,
        ));
    }
    Ok(Document {
        id,
        title,
        text,
        source: input.to_string(),
        url,
        outlet,
        published,
    })
}

/// The claims of one text, in the claim JSON contract.
#[pyfunction]
#[pyo3(signature = (text, *, published=None, title=None, url=None, doc_id=None, outlet=None))]
fn extract<'py>(
    py: Python<'py>,
    text: String,
    published: Option<&Bound<'py, PyAny>>,
    title: Option<String>,
    url: Option<String>,
    doc_id: Option<String>,
    outlet: Option<String>,
) -> PyResult<Bound<'py, PyList>> {
    let pipeline = pipeline()?;
    let id = doc_id.unwrap_or_else(|| "text".to_string());
    let published = published_of(published, "text")?;
    let doc = document(id, text, title, url, outlet, published, "text")?;
    let claims = py.detach(|| tollmap::extract::claims(&doc, pipeline.gazetteer()));
    claims_to_py(py, &claims)
}

/// The claims of many documents (mappings with `id` and `text`, and optionally `title`,
/// `url`, `outlet`, `published`), in document order.
#[pyfunction]
#[pyo3(signature = (docs, *, threads=None))]
fn extract_many<'py>(
    py: Python<'py>,
    docs: &Bound<'py, PyAny>,
    threads: Option<usize>,
) -> PyResult<Bound<'py, PyList>> {
    let pipeline = pipeline()?;
    let read = documents_of(py, docs)?;
    let claims: Vec<Claim> = py
        .detach(|| extract_all(pipeline, &read, threads))?
        .into_iter()
        .flatten()
        .collect();
    claims_to_py(py, &claims)
}

/// The claims of many documents as the lines of `tollmap extract --format jsonl` (the same
/// bytes), each with the position of its document in `docs`: serialized with the GIL
/// released, and one string each instead of a tree of dicts.
#[pyfunction]
#[pyo3(signature = (docs, *, threads=None))]
fn extract_json<'py>(
    py: Python<'py>,
    docs: &Bound<'py, PyAny>,
    threads: Option<usize>,
) -> PyResult<Bound<'py, PyList>> {
    let pipeline = pipeline()?;
    let read = documents_of(py, docs)?;
    let lines: Vec<(usize, String)> = py.detach(|| -> PyResult<Vec<(usize, String)>> {
        let per_doc = extract_all(pipeline, &read, threads)?;
        let mut lines = Vec::with_capacity(per_doc.iter().map(Vec::len).sum());
        for (i, claims) in per_doc.iter().enumerate() {
            for c in claims {
                let line = serde_json::to_string(c).map_err(|e| error(&e, None, None))?;
                lines.push((i, line));
            }
        }
        Ok(lines)
    })?;
    let list = PyList::empty(py);
    for (i, line) in lines {
        list.append((i, line))?;
    }
    Ok(list)
}

/// Python's documents as the library's, checked as `tollmap extract` checks JSON Lines
/// records; an error names `docs[i]`.
fn documents_of<'py>(py: Python<'py>, docs: &Bound<'py, PyAny>) -> PyResult<Vec<Document>> {
    let mut read: Vec<Document> = Vec::new();
    let mut seen: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for (i, item) in docs.try_iter()?.enumerate() {
        let item = item?;
        let input = format!("docs[{i}]");
        let get = |k: &str| -> PyResult<Option<Bound<'py, PyAny>>> {
            match item.get_item(k) {
                Ok(v) => Ok(Some(v)),
                Err(e) if e.is_instance_of::<pyo3::exceptions::PyKeyError>(py) => Ok(None),
                Err(e) => Err(e),
            }
        };
        let id = match get("id")? {
            Some(v) if !missing(&v) => match v.extract::<String>() {
                Ok(s) => s,
                Err(_) => match v.extract::<i64>() {
                    Ok(n) => n.to_string(),
                    Err(_) => {
                        return Err(PyTypeError::new_err(format!(
                            "{input}: field `id` must be a string"
                        )))
                    }
                },
            },
            _ => {
                return Err(raised(
                    "missing required field `id`".into(),
                    Some(input),
                    None,
                ))
            }
        };
        if let Some(first) = seen.insert(id.clone(), i) {
            return Err(raised(
                format!("document id `{id}` already used by docs[{first}]"),
                Some(input),
                None,
            ));
        }
        let text = string_of(get("text")?, "text", &input)?.ok_or_else(|| {
            raised(
                "missing required field `text`".into(),
                Some(input.clone()),
                None,
            )
        })?;
        let published = published_of(get("published")?.as_ref(), &input)?;
        read.push(document(
            id,
            text,
            string_of(get("title")?, "title", &input)?,
            string_of(get("url")?, "url", &input)?,
            string_of(get("outlet")?, "outlet", &input)?,
            published,
            &input,
        )?);
    }
    Ok(read)
}

/// Each document's claims, in document order: on the calling thread (`threads=1`), on a
/// pool of `threads`, or on every core (`None`).
fn extract_all(
    pipeline: &Pipeline,
    docs: &[Document],
    threads: Option<usize>,
) -> PyResult<Vec<Vec<Claim>>> {
    match threads {
        Some(0) => Err(PyValueError::new_err("threads must be at least 1")),
        Some(1) => Ok(docs
            .iter()
            .map(|d| tollmap::extract::claims(d, pipeline.gazetteer()))
            .collect()),
        Some(n) => {
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(n)
                .build()
                .map_err(|e| error(&e, None, None))?;
            Ok(pool.install(|| pipeline.extract_per_document(docs)))
        }
        None => Ok(pipeline.extract_per_document(docs)),
    }
}

/// The documents of files, folders (and URLs) as `tollmap extract` reads them.
#[pyfunction]
#[pyo3(signature = (paths, *, published=None))]
fn read_documents<'py>(
    py: Python<'py>,
    paths: Vec<PathBuf>,
    published: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyList>> {
    let published = published_of(published, "published")?;
    let pipeline = pipeline()?.clone().published(published);
    let ingested = py
        .detach(|| pipeline.ingest(&paths))
        .map_err(|e| error(&e, None, None))?;
    // Inputs left out while others were read (the command's warnings, exit code 1): Python
    // warnings, each naming its input.
    for w in &ingested.warnings {
        let message = std::ffi::CString::new(w.replace('\0', " "))?;
        PyErr::warn(
            py,
            &py.get_type::<pyo3::exceptions::PyUserWarning>(),
            &message,
            1,
        )?;
    }
    let list = PyList::empty(py);
    for d in &ingested.documents {
        let dict = PyDict::new(py);
        dict.set_item("id", &d.id)?;
        dict.set_item("title", &d.title)?;
        dict.set_item("text", &d.text)?;
        dict.set_item("url", &d.url)?;
        dict.set_item("outlet", &d.outlet)?;
        dict.set_item("published", d.published.map(|p| p.to_string()))?;
        dict.set_item("source", &d.source)?;
        list.append(dict)?;
    }
    Ok(list)
}

/// The resolver's answers for place names, as `tollmap geocode --format jsonl` gives them.
#[pyfunction]
#[pyo3(signature = (names, context=None, *, alternatives=3))]
fn geocode<'py>(
    py: Python<'py>,
    names: Vec<String>,
    context: Option<String>,
    alternatives: usize,
) -> PyResult<Bound<'py, PyList>> {
    let pipeline = pipeline()?;
    let answers = py.detach(|| {
        tollmap::cli::geocode_answers(
            pipeline.gazetteer(),
            &names,
            context.as_deref(),
            alternatives,
        )
    });
    let list = PyList::empty(py);
    for a in &answers {
        list.append(to_py(py, a)?)?;
    }
    Ok(list)
}

/// A build, as `tollmap build ARGV...` (without printing): its summary.
#[pyfunction]
fn build_args<'py>(py: Python<'py>, argv: Vec<OsString>) -> PyResult<Bound<'py, PyDict>> {
    let report = py
        .detach(|| tollmap::cli::build_quietly(&argv))
        .map_err(|e| error(e.as_ref(), None, None))?;
    let dict = PyDict::new(py);
    dict.set_item("out", report.out.display().to_string())?;
    let mut names = topy::Names::default();
    dict.set_item("counts", topy::to_py(py, &mut names, &report.counts)?)?;
    let skipped: Vec<String> = report
        .skipped
        .iter()
        .map(|p| p.display().to_string())
        .collect();
    dict.set_item("skipped", skipped)?;
    dict.set_item("warnings", &report.warnings)?;
    match &report.corrections {
        Some(c) => {
            let d = PyDict::new(py);
            d.set_item("path", c.path.display().to_string())?;
            d.set_item("rows", c.rows)?;
            d.set_item("applied", c.applied)?;
            d.set_item("rejected", c.rejected)?;
            d.set_item("not_applied", &c.not_applied)?;
            dict.set_item("corrections", d)?;
        }
        None => dict.set_item("corrections", py.None())?,
    }
    dict.set_item("unresolved_over", report.unresolved_over)?;
    dict.set_item("exit_code", report.exit_code)?;
    Ok(dict)
}

/// The `tollmap` command line (ARGV with the program's name first): its exit code.
#[pyfunction]
fn main(py: Python<'_>, argv: Vec<OsString>) -> u8 {
    py.detach(|| tollmap::cli::main_code(argv))
}

/// The extension module.
#[pymodule]
fn _tollmap(m: &Bound<'_, PyModule>) -> PyResult<()> {
    // As the binary's: memory freed between documents is kept for the next (handing it back
    // cost a page fault and a clearing each time it was touched again).
    alloc::purge(alloc::Purge::Never);
    m.add("TollmapError", m.py().get_type::<TollmapError>())?;
    m.add_function(wrap_pyfunction!(extract, m)?)?;
    m.add_function(wrap_pyfunction!(extract_many, m)?)?;
    m.add_function(wrap_pyfunction!(extract_json, m)?)?;
    m.add_function(wrap_pyfunction!(read_documents, m)?)?;
    m.add_function(wrap_pyfunction!(geocode, m)?)?;
    m.add_function(wrap_pyfunction!(build_args, m)?)?;
    m.add_function(wrap_pyfunction!(main, m)?)?;
    Ok(())
}
