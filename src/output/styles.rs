//! The layers' default styles, as QGIS reads them from a GeoPackage's `layer_styles` table
//! (QML, with an SLD beside it for other clients): places and events as circles graduated by
//! the killed, coloured by the victims most reported (the web map's colours); claims by
//! victims; governorates and districts as a choropleth; labels; and a temporal setting whose
//! periods QGIS compares right at every step (a day's frame holds that day's claims). Class
//! breaks are quantiles of the layer's own values, worked out as its features are written.

use crate::model::Victims;

/// A layer's default style.
#[derive(Debug, Clone, PartialEq)]
pub struct Style {
    /// QGIS's own style document.
    pub qml: String,
    /// The same, as the elements a project's `maplayer` holds.
    pub layer_xml: String,
    /// Whether it labels features.
    pub labelled: bool,
    /// The same classes as an OGC Styled Layer Descriptor 1.1.
    pub sld: String,
    /// A line for `layer_styles.description`.
    pub description: String,
}

/// The web map's colour of each victims category.
pub const VICTIM_COLOURS: [(Victims, &str); 7] = [
    (Victims::Civilians, "#d62728"),
    (Victims::ProGovernment, "#1f77b4"),
    (Victims::Opposition, "#2ca02c"),
    (Victims::Jihadist, "#4d4d4d"),
    (Victims::KurdishForces, "#ff7f0e"),
    (Victims::ForeignForces, "#9467bd"),
    (Victims::Unknown, "#8c8c8c"),
];

/// The choropleth's colours, from none killed to the most (ColorBrewer Reds).
const REDS: [&str; 6] = [
    "#f7f7f7", "#fee0d2", "#fcbba1", "#fb6a4a", "#cb181d", "#67000d",
];

/// The field a layer's classes are drawn on, if it is styled by one.
pub fn class_field(layer: &str) -> Option<&'static str> {
    match layer {
        "places" | "origins" | "admin1" | "admin2" => Some("killed_low"),
        "events" => Some("low"),
        _ => None,
    }
}

/// Up to `n` class upper bounds for the positive `values`: their quantiles, distinct, the
/// largest value last (none when no value is positive).
pub fn breaks(values: &[i64], n: usize) -> Vec<i64> {
    let mut v: Vec<i64> = values.iter().copied().filter(|&x| x > 0).collect();
    if v.is_empty() || n == 0 {
        return Vec::new();
    }
    v.sort_unstable();
    let mut out: Vec<i64> = (1..=n)
        .map(|k| {
            v[((v.len() * k).div_ceil(n))
                .saturating_sub(1)
                .min(v.len() - 1)]
        })
        .collect();
    out.dedup();
    out
}

/// The default style of `layer`, given the values of its class field (`class_field`).
pub fn style(layer: &str, values: &[i64]) -> Option<Style> {
    let (qml, sld, description) = match layer {
        "claims" => (
            claims_qml(),
            claims_sld(),
            "claims: circles by victims".to_string(),
        ),
        "places" | "origins" | "events" => {
            let field = class_field(layer)?;
            let ranges = point_ranges(values);
            (
                points_qml(layer, field, &ranges, label_above(values)),
                points_sld(layer, field, &ranges),
                format!(
                    "{layer}: circles graduated by {field}, coloured by the victims most reported"
                ),
            )
        }
        "admin1" | "admin2" => {
            let ranges = area_ranges(values);
            (
                areas_qml(layer, &ranges),
                areas_sld(layer, &ranges),
                format!("{layer}: killed_low choropleth, quantile classes"),
            )
        }
        _ => return None,
    };
    let (layer_xml, labelled) = qml;
    Some(Style {
        qml: document(&layer_xml, labelled),
        layer_xml,
        labelled,
        sld,
        description,
    })
}

/// A class: values in `(lower, upper]` (`[lower, upper]` for the first), with its size or
/// colour.
#[derive(Debug, Clone, PartialEq)]
struct Range {
    lower: i64,
    upper: i64,
    label: String,
    /// Circle diameter in millimetres, or the fill colour.
    size: f64,
    colour: &'static str,
}

fn label(lower: i64, upper: i64, first: bool) -> String {
    if lower == upper || (first && lower == 0 && upper == 0) {
        format!("{upper}")
    } else if first {
        format!("{lower} – {upper}")
    } else {
        format!("{} – {upper}", lower + 1)
    }
}

/// A class per quantile break of `values` after `zero` (the class of none killed), each
/// given its size and colour by `look(i, n)` (class `i` of `n`).
fn ranges(
    values: &[i64],
    zero: Range,
    look: impl Fn(usize, usize) -> (f64, &'static str),
) -> Vec<Range> {
    let b = breaks(values, 5);
    let mut out = vec![zero];
    let mut lower = 0;
    for (i, &upper) in b.iter().enumerate() {
        let (size, colour) = look(i, b.len());
        out.push(Range {
            lower,
            upper,
            label: label(lower, upper, false),
            size,
            colour,
        });
        lower = upper;
    }
    out
}

/// The classes of a point layer: none killed (a small grey dot), then up to five quantile
/// classes with circles of growing area (diameters from 2 to 8 mm).
fn point_ranges(values: &[i64]) -> Vec<Range> {
    let zero = Range {
        lower: 0,
        upper: 0,
        label: "0 (wounded, captured or missing only)".into(),
        size: 1.6,
        colour: "#8c8c8c",
    };
    ranges(values, zero, |i, n| {
        let size = 2.0 + 6.0 * ((i + 1) as f64 / n as f64).sqrt();
        ((size * 10.0).round() / 10.0, "#d62728")
    })
}

/// The classes of an area layer: none killed, then up to five quantile classes of reds.
fn area_ranges(values: &[i64]) -> Vec<Range> {
    let zero = Range {
        lower: 0,
        upper: 0,
        label: "0".into(),
        size: 0.0,
        colour: REDS[0],
    };
    ranges(values, zero, |i, n| (0.0, REDS[REDS.len() - n.max(1) + i]))
}

/// `s` escaped for an XML attribute or text.
fn xml(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
    out
}

/// `#rrggbb` as QGIS's `r,g,b,a`.
fn rgba(hex: &str, alpha: u8) -> String {
    let h = hex.trim_start_matches('#');
    let c = |i: usize| u8::from_str_radix(h.get(i..i + 2).unwrap_or("00"), 16).unwrap_or(0);
    format!("{},{},{},{alpha}", c(0), c(2), c(4))
}

/// A symbol layer's properties, written both ways QGIS reads them.
fn props(pairs: &[(&str, String)]) -> String {
    let mut out = String::from("<Option type=\"Map\">");
    for (k, v) in pairs {
        out.push_str(&format!(
            "<Option type=\"QString\" name=\"{k}\" value=\"{}\"/>",
            xml(v)
        ));
    }
    out.push_str("</Option>");
    for (k, v) in pairs {
        out.push_str(&format!("<prop k=\"{k}\" v=\"{}\"/>", xml(v)));
    }
    out
}

/// Data-defined properties: each (property, expression).
fn data_defined(list: &[(&str, String)]) -> String {
    let mut out = String::from(
        "<data_defined_properties><Option type=\"Map\"><Option type=\"QString\" name=\"name\" value=\"\"/><Option type=\"Map\" name=\"properties\">",
    );
    for (prop, expr) in list {
        out.push_str(&format!(
            "<Option type=\"Map\" name=\"{prop}\"><Option type=\"bool\" name=\"active\" value=\"true\"/><Option type=\"QString\" name=\"expression\" value=\"{}\"/><Option type=\"int\" name=\"type\" value=\"3\"/></Option>",
            xml(expr)
        ));
    }
    out.push_str("</Option><Option type=\"QString\" name=\"type\" value=\"collection\"/></Option></data_defined_properties>");
    out
}

/// The colour of the victims most reported among a row's killed (ties go to the first of
/// `VICTIM_COLOURS`, as on the web map; grey when none were killed).
fn dominant_colour_expression() -> String {
    let field = |v: Victims| format!("\"killed_{}_low\"", v.as_str());
    let mut e = String::from("CASE WHEN \"killed_low\" = 0 THEN '#8c8c8c'");
    for (i, (v, colour)) in VICTIM_COLOURS.iter().enumerate() {
        let others: Vec<String> = VICTIM_COLOURS
            .iter()
            .enumerate()
            .filter(|(j, _)| *j != i)
            .map(|(j, (o, _))| {
                // Strictly more than the earlier ones, at least as many as the later ones.
                if j < i {
                    format!("{} > {}", field(*v), field(*o))
                } else {
                    format!("{} >= {}", field(*v), field(*o))
                }
            })
            .collect();
        e.push_str(&format!(
            " WHEN {} > 0 AND {} THEN '{colour}'",
            field(*v),
            others.join(" AND ")
        ));
    }
    e.push_str(" ELSE '#8c8c8c' END");
    e
}

fn marker(name: usize, size: f64, fill: &str, outline: &str, dd: &str) -> String {
    format!(
        "<symbol name=\"{name}\" type=\"marker\" alpha=\"1\" clip_to_extent=\"1\" force_rhr=\"0\"><layer class=\"SimpleMarker\" enabled=\"1\" locked=\"0\" pass=\"0\">{}{dd}</layer></symbol>",
        props(&[
            ("name", "circle".into()),
            ("color", rgba(fill, 170)),
            ("outline_color", rgba(outline, 255)),
            ("outline_style", "solid".into()),
            ("outline_width", "0.3".into()),
            ("outline_width_unit", "MM".into()),
            ("size", format!("{size}")),
            ("size_unit", "MM".into()),
            ("scale_method", "diameter".into()),
        ])
    )
}

fn fill(name: usize, colour: &str) -> String {
    format!(
        "<symbol name=\"{name}\" type=\"fill\" alpha=\"1\" clip_to_extent=\"1\" force_rhr=\"0\"><layer class=\"SimpleFill\" enabled=\"1\" locked=\"0\" pass=\"0\">{}</layer></symbol>",
        props(&[
            ("color", rgba(colour, 230)),
            ("outline_color", rgba("#6b6b6b", 255)),
            ("outline_style", "solid".into()),
            ("outline_width", "0.2".into()),
            ("outline_width_unit", "MM".into()),
            ("style", "solid".into()),
        ])
    )
}

/// The temporal setting: a row from the first day of its period (or claim) to the end of its
/// last day, so that QGIS's day, month and year frames each hold the rows of their days.
fn temporal(start: &str, end: &str) -> String {
    let start_e = format!("to_datetime(coalesce(\"{start}\", \"{end}\"))");
    let end_e = format!("to_datetime(coalesce(\"{end}\", \"{start}\")) + make_interval(days:=1)");
    format!(
        "<temporal enabled=\"1\" mode=\"4\" limitMode=\"0\" accumulate=\"0\" startField=\"\" endField=\"\" durationField=\"\" durationUnit=\"d\" fixedDuration=\"0\" startExpression=\"{}\" endExpression=\"{}\"><fixedRange><start></start><end></end></fixedRange></temporal>",
        xml(&start_e),
        xml(&end_e)
    )
}

/// Labels of `expression` (black on a white halo).
fn labels(expression: &str, size: f64, placement: u8) -> String {
    format!(
        "<labeling type=\"simple\"><settings calloutType=\"simple\"><text-style fieldName=\"{}\" isExpression=\"1\" fontSize=\"{size}\" fontSizeUnit=\"Point\" textColor=\"30,30,30,255\" textOpacity=\"1\" fontWeight=\"50\" namedStyle=\"Regular\"><text-buffer bufferDraw=\"1\" bufferSize=\"0.7\" bufferSizeUnits=\"MM\" bufferColor=\"255,255,255,230\" bufferOpacity=\"1\"/></text-style><text-format/><placement placement=\"{placement}\" dist=\"1\" distUnits=\"MM\" priority=\"5\"/><rendering obstacle=\"1\" scaleVisibility=\"0\" displayAll=\"0\" limitNumLabels=\"0\"/></settings></labeling>",
        xml(expression)
    )
}

/// A QML document of a layer's style elements.
fn document(body: &str, labelled: bool) -> String {
    format!(
        "<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n<qgis version=\"3.22.16-Białowieża\" styleCategories=\"AllStyleCategories\" labelsEnabled=\"{}\" hasScaleBasedVisibilityFlag=\"0\" minScale=\"100000000\" maxScale=\"0\">{body}<blendMode>0</blendMode><featureBlendMode>0</featureBlendMode><layerOpacity>1</layerOpacity></qgis>\n",
        u8::from(labelled)
    )
}

/// The value above which a point is labelled: the largest fiftieth of the layer's rows.
fn label_above(values: &[i64]) -> i64 {
    let mut v: Vec<i64> = values.iter().copied().filter(|&x| x > 0).collect();
    v.sort_unstable();
    match v.len() {
        0 => 0,
        n => v[(n * 49 / 50).min(n - 1)].saturating_sub(1).max(0),
    }
}

/// A graduated renderer's class `i`.
fn range_xml(i: usize, r: &Range) -> String {
    format!(
        "<range symbol=\"{i}\" lower=\"{}\" upper=\"{}\" label=\"{}\" render=\"true\"/>",
        r.lower,
        r.upper,
        xml(&r.label)
    )
}

fn points_qml(layer: &str, field: &str, ranges: &[Range], above: i64) -> (String, bool) {
    let origin = layer == "origins";
    let colour = dominant_colour_expression();
    let dd = if origin {
        String::new()
    } else {
        data_defined(&[("fillColor", colour)])
    };
    let mut ranges_xml = String::new();
    let mut symbols = String::new();
    for (i, r) in ranges.iter().enumerate() {
        ranges_xml.push_str(&range_xml(i, r));
        let (fill_colour, outline) = if origin {
            ("#ffffff", "#5b2a86")
        } else {
            (r.colour, "#222222")
        };
        symbols.push_str(&marker(i, r.size, fill_colour, outline, &dd));
    }
    let renderer = format!(
        "<renderer-v2 type=\"graduatedSymbol\" attr=\"{field}\" graduatedMethod=\"GraduatedSize\" symbollevels=\"0\" forceraster=\"0\" enableorderby=\"1\" referencescale=\"-1\"><ranges>{ranges_xml}</ranges><symbols>{symbols}</symbols><source-symbol>{}</source-symbol><orderby><orderByClause asc=\"0\" nullsFirst=\"0\">\"{field}\"</orderByClause></orderby><rotation/><sizescale/></renderer-v2>",
        marker(0, 4.0, "#d62728", "#222222", "")
    );
    let (start, end) = if layer == "events" {
        ("start", "end")
    } else {
        ("period_start", "period_end")
    };
    // The largest are named.
    let label = labels(
        &format!("CASE WHEN \"{field}\" > {above} THEN \"name\" END"),
        8.0,
        6,
    );
    (format!("{renderer}{label}{}", temporal(start, end)), true)
}

fn claims_qml() -> (String, bool) {
    let mut categories = String::new();
    let mut symbols = String::new();
    for (i, (v, colour)) in VICTIM_COLOURS.iter().enumerate() {
        categories.push_str(&format!(
            "<category symbol=\"{i}\" value=\"{}\" label=\"{}\" render=\"true\"/>",
            v.as_str(),
            v.as_str().replace('_', " ")
        ));
        symbols.push_str(&marker(i, 2.4, colour, "#222222", ""));
    }
    let renderer = format!(
        "<renderer-v2 type=\"categorizedSymbol\" attr=\"victims\" symbollevels=\"0\" forceraster=\"0\" enableorderby=\"0\" referencescale=\"-1\"><categories>{categories}</categories><symbols>{symbols}</symbols><source-symbol>{}</source-symbol><rotation/><sizescale/></renderer-v2>",
        marker(0, 2.4, "#8c8c8c", "#222222", "")
    );
    (
        format!("{renderer}{}", temporal("date_start", "date_end")),
        false,
    )
}

fn areas_qml(layer: &str, ranges: &[Range]) -> (String, bool) {
    let mut ranges_xml = String::new();
    let mut symbols = String::new();
    for (i, r) in ranges.iter().enumerate() {
        ranges_xml.push_str(&range_xml(i, r));
        symbols.push_str(&fill(i, r.colour));
    }
    let renderer = format!(
        "<renderer-v2 type=\"graduatedSymbol\" attr=\"killed_low\" graduatedMethod=\"GraduatedColor\" symbollevels=\"0\" forceraster=\"0\" enableorderby=\"0\" referencescale=\"-1\"><ranges>{ranges_xml}</ranges><symbols>{symbols}</symbols><source-symbol>{}</source-symbol><rotation/><sizescale/></renderer-v2>",
        fill(0, REDS[3])
    );
    let label = if layer == "admin1" {
        labels("\"name\"", 9.0, 1)
    } else {
        String::new()
    };
    (
        format!(
            "{renderer}{label}{}",
            temporal("period_start", "period_end")
        ),
        layer == "admin1",
    )
}

/// A layer of the project: its table, geometry and style.
pub struct ProjectLayer<'s> {
    /// The table in the GeoPackage.
    pub name: &'s str,
    /// Whether it holds polygons (else points).
    pub polygons: bool,
    /// Whether it is shown when the project opens.
    pub visible: bool,
    /// Its style.
    pub style: &'s Style,
}

/// Web Mercator metres of a longitude and latitude.
fn mercator(lon: f64, lat: f64) -> (f64, f64) {
    const R: f64 = 6_378_137.0;
    let x = R * lon.to_radians();
    let y = R
        * (std::f64::consts::FRAC_PI_4 + lat.to_radians() / 2.0)
            .tan()
            .ln();
    (x.round(), y.round())
}

/// A QGIS project (`.qgs`, QGIS 3.22 and later) that opens the GeoPackage `gpkg` (beside
/// it) with each layer styled, over Syria in Web Mercator, and the temporal controller set to
/// the build's periods: from `first` to the day after `last`, a step of one `step` (`d`,
/// `wk`, `mon` or `y`).
pub fn project(
    gpkg: &str,
    layers: &[ProjectLayer<'_>],
    time: Option<(&str, &str)>,
    step: &str,
) -> String {
    // QGIS 3.22 takes a CRS only when described in full.
    let wgs84_srs = "<spatialrefsys><proj4>+proj=longlat +datum=WGS84 +no_defs</proj4><srsid>3452</srsid><srid>4326</srid><authid>EPSG:4326</authid><description>WGS 84</description><projectionacronym>longlat</projectionacronym><ellipsoidacronym>EPSG:7030</ellipsoidacronym><geographicflag>true</geographicflag></spatialrefsys>";
    let mercator_srs = "<spatialrefsys><proj4>+proj=merc +a=6378137 +b=6378137 +lat_ts=0 +lon_0=0 +x_0=0 +y_0=0 +k=1 +units=m +nadgrids=@null +wktext +no_defs</proj4><srsid>3857</srsid><srid>3857</srid><authid>EPSG:3857</authid><description>WGS 84 / Pseudo-Mercator</description><projectionacronym>merc</projectionacronym><ellipsoidacronym>EPSG:7030</ellipsoidacronym><geographicflag>false</geographicflag></spatialrefsys>";
    let id = |name: &str| format!("tollmap_{name}");
    let mut tree = String::new();
    let mut maplayers = String::new();
    for l in layers {
        let source = format!("./{gpkg}|layername={}", l.name);
        tree.push_str(&format!(
            r#"<layer-tree-layer id="{}" name="{}" source="{}" providerKey="ogr" checked="{}" expanded="1"><customproperties/></layer-tree-layer>"#,
            id(l.name),
            l.name,
            xml(&source),
            if l.visible { "Qt::Checked" } else { "Qt::Unchecked" }
        ));
        let (geometry, wkb) = if l.polygons {
            ("Polygon", "MultiPolygon")
        } else {
            ("Point", "Point")
        };
        maplayers.push_str(&format!(
            r#"<maplayer type="vector" geometry="{geometry}" wkbType="{wkb}" styleCategories="AllStyleCategories" labelsEnabled="{}" hasScaleBasedVisibilityFlag="0" minScale="100000000" maxScale="0"><id>{}</id><datasource>{}</datasource><layername>{}</layername><srs>{}</srs><provider encoding="UTF-8">ogr</provider>{}</maplayer>"#,
            u8::from(l.style.labelled),
            id(l.name),
            xml(&source),
            l.name,
            wgs84_srs,
            l.style.layer_xml
        ));
    }
    let (xmin, ymin) = mercator(35.6, 32.3);
    let (xmax, ymax) = mercator(42.4, 37.4);
    let time = match time {
        Some((first, last)) => format!(
            r#"<ProjectTimeSettings cumulativeTemporalRange="0" frameRate="1" timeStep="1" timeStepUnit="{step}"><TemporalRange><start>{first}T00:00:00Z</start><end>{last}T23:59:59Z</end></TemporalRange></ProjectTimeSettings>"#
        ),
        None => String::new(),
    };
    format!(
        r#"<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>
<qgis version="3.22.16-Białowieża" projectname="tollmap"><homePath path=""/><title>tollmap: casualty claims</title><projectCrs>{}</projectCrs><layer-tree-group><customproperties/>{tree}</layer-tree-group><mapcanvas name="theMapCanvas" annotationsVisible="1"><units>meters</units><extent><xmin>{xmin}</xmin><ymin>{ymin}</ymin><xmax>{xmax}</xmax><ymax>{ymax}</ymax></extent><rotation>0</rotation><destinationsrs>{}</destinationsrs><rendermaptile>0</rendermaptile></mapcanvas><projectlayers>{maplayers}</projectlayers><properties><Paths><Absolute type="bool">false</Absolute></Paths><SpatialRefSys><ProjectionsEnabled type="int">1</ProjectionsEnabled></SpatialRefSys></properties>{time}</qgis>
"#,
        mercator_srs, mercator_srs
    )
}

/// An SLD 1.1 document of `rules` (each a title, a filter and a symbolizer).
fn sld(layer: &str, rules: &[(String, String, String)]) -> String {
    let mut body = String::new();
    for (title, filter, symbolizer) in rules {
        body.push_str(&format!(
            "<se:Rule><se:Name>{0}</se:Name><se:Description><se:Title>{0}</se:Title></se:Description>{filter}{symbolizer}</se:Rule>",
            xml(title)
        ));
    }
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<StyledLayerDescriptor xmlns=\"http://www.opengis.net/sld\" version=\"1.1.0\" xmlns:xlink=\"http://www.w3.org/1999/xlink\" xmlns:se=\"http://www.opengis.net/se\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xmlns:ogc=\"http://www.opengis.net/ogc\" xsi:schemaLocation=\"http://www.opengis.net/sld http://schemas.opengis.net/sld/1.1.0/StyledLayerDescriptor.xsd\"><NamedLayer><se:Name>{layer}</se:Name><UserStyle><se:Name>{layer}</se:Name><se:FeatureTypeStyle>{body}</se:FeatureTypeStyle></UserStyle></NamedLayer></StyledLayerDescriptor>\n"
    )
}

fn range_filter(field: &str, r: &Range, first: bool) -> String {
    let lower = if first {
        "PropertyIsGreaterThanOrEqualTo"
    } else {
        "PropertyIsGreaterThan"
    };
    format!(
        "<ogc:Filter><ogc:And><ogc:{lower}><ogc:PropertyName>{field}</ogc:PropertyName><ogc:Literal>{}</ogc:Literal></ogc:{lower}><ogc:PropertyIsLessThanOrEqualTo><ogc:PropertyName>{field}</ogc:PropertyName><ogc:Literal>{}</ogc:Literal></ogc:PropertyIsLessThanOrEqualTo></ogc:And></ogc:Filter>",
        r.lower, r.upper
    )
}

fn point_symbolizer(size_px: f64, fill: &str, stroke: &str) -> String {
    format!(
        "<se:PointSymbolizer><se:Graphic><se:Mark><se:WellKnownName>circle</se:WellKnownName><se:Fill><se:SvgParameter name=\"fill\">{fill}</se:SvgParameter><se:SvgParameter name=\"fill-opacity\">0.67</se:SvgParameter></se:Fill><se:Stroke><se:SvgParameter name=\"stroke\">{stroke}</se:SvgParameter><se:SvgParameter name=\"stroke-width\">1</se:SvgParameter></se:Stroke></se:Mark><se:Size>{size_px}</se:Size></se:Graphic></se:PointSymbolizer>"
    )
}

/// Millimetres as pixels at 90 dpi (SLD sizes are pixels).
fn px(mm: f64) -> f64 {
    (mm * 90.0 / 25.4).round()
}

fn points_sld(layer: &str, field: &str, ranges: &[Range]) -> String {
    let (fill, stroke) = if layer == "origins" {
        ("#ffffff", "#5b2a86")
    } else {
        ("#d62728", "#222222")
    };
    let rules: Vec<(String, String, String)> = ranges
        .iter()
        .enumerate()
        .map(|(i, r)| {
            (
                r.label.clone(),
                range_filter(field, r, i == 0),
                point_symbolizer(px(r.size), if i == 0 { "#8c8c8c" } else { fill }, stroke),
            )
        })
        .collect();
    sld(layer, &rules)
}

fn claims_sld() -> String {
    let rules: Vec<(String, String, String)> = VICTIM_COLOURS
        .iter()
        .map(|(v, colour)| {
            (
                v.as_str().replace('_', " "),
                format!(
                    "<ogc:Filter><ogc:PropertyIsEqualTo><ogc:PropertyName>victims</ogc:PropertyName><ogc:Literal>{}</ogc:Literal></ogc:PropertyIsEqualTo></ogc:Filter>",
                    v.as_str()
                ),
                point_symbolizer(px(2.4), colour, "#222222"),
            )
        })
        .collect();
    sld("claims", &rules)
}

fn areas_sld(layer: &str, ranges: &[Range]) -> String {
    let rules: Vec<(String, String, String)> = ranges
        .iter()
        .enumerate()
        .map(|(i, r)| {
            (
                r.label.clone(),
                range_filter("killed_low", r, i == 0),
                format!(
                    "<se:PolygonSymbolizer><se:Fill><se:SvgParameter name=\"fill\">{}</se:SvgParameter></se:Fill><se:Stroke><se:SvgParameter name=\"stroke\">#6b6b6b</se:SvgParameter><se:SvgParameter name=\"stroke-width\">0.5</se:SvgParameter></se:Stroke></se:PolygonSymbolizer>",
                    r.colour
                ),
            )
        })
        .collect();
    sld(layer, &rules)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn breaks_are_distinct_quantiles_ending_at_the_largest() {
        let cases: &[(&[i64], usize, &[i64])] = &[
            (&[], 5, &[]),
            (&[0, 0], 5, &[]),
            (&[1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 5, &[2, 4, 6, 8, 10]),
            (&[5, 5, 5, 5], 5, &[5]),
            (&[0, 1, 1, 1, 1, 1, 1, 1, 1, 100], 5, &[1, 100]),
        ];
        for (values, n, want) in cases {
            assert_eq!(breaks(values, *n), *want, "{values:?}");
        }
    }

    #[test]
    fn every_layer_has_a_style_that_is_not_a_single_symbol() {
        for layer in ["claims", "events", "places", "origins", "admin1", "admin2"] {
            let s = style(layer, &[0, 3, 12, 40, 41, 300]).unwrap();
            assert!(
                s.qml.contains("categorizedSymbol") || s.qml.contains("graduatedSymbol"),
                "{layer}"
            );
            assert!(s.qml.contains("<temporal enabled=\"1\""), "{layer}");
            assert!(s.sld.contains("<se:Rule>"), "{layer}");
            assert!(
                !s.qml.contains("\"\"\""),
                "{layer}: attribute quotes escaped"
            );
        }
        assert!(style("other", &[]).is_none());
    }

    #[test]
    fn colours_are_qgis_rgba() {
        assert_eq!(rgba("#d62728", 170), "214,39,40,170");
        assert_eq!(
            xml("a \"b\" <c> & 'd'"),
            "a &quot;b&quot; &lt;c&gt; &amp; &apos;d&apos;"
        );
    }
}
