//! The `.npz` format (numpy's `np.savez` / `np.savez_compressed` / `np.load`): a zip
//! archive whose members are `.npy` files, `name.npy` for the array called `name`.
//!
//! Writing stores the members uncompressed (ZIP_STORED, as `np.savez` does). Reading
//! accepts stored and deflated members (`np.savez_compressed`), zip64 records (numpy
//! writes them), and checks every member's CRC-32. The zip structures are parsed here
//! from the central directory; every offset and length is checked against the data, and
//! inflation is capped at the member's declared size.

use std::io::Write;
use std::path::Path;

use super::npy::{NpyArray, NpyElement, io_err, read_npy_any, write_npy};
use crate::{ArrayBase, Data, LinalgError};

fn zip_err(message: impl Into<String>) -> LinalgError {
    LinalgError::Format {
        format: "npz",
        message: message.into(),
    }
}

/// The CRC-32 (IEEE, as zip uses) of `data`.
fn crc32(data: &[u8]) -> u32 {
    static TABLE: std::sync::OnceLock<[u32; 256]> = std::sync::OnceLock::new();
    let table = TABLE.get_or_init(|| {
        let mut t = [0u32; 256];
        for (i, e) in t.iter_mut().enumerate() {
            let mut c = i as u32;
            for _ in 0..8 {
                c = if c & 1 != 0 {
                    0xEDB8_8320 ^ (c >> 1)
                } else {
                    c >> 1
                };
            }
            *e = c;
        }
        t
    });
    !data.iter().fold(!0u32, |c, &b| {
        table[((c ^ b as u32) & 0xFF) as usize] ^ (c >> 8)
    })
}

/// Little-endian reads at checked offsets.
struct Bytes<'a>(&'a [u8]);

impl Bytes<'_> {
    fn slice(&self, at: usize, len: usize) -> Result<&[u8], LinalgError> {
        at.checked_add(len)
            .and_then(|end| self.0.get(at..end))
            .ok_or_else(|| {
                zip_err(format!(
                    "a record at offset {at} (length {len}) lies outside the {}-byte file",
                    self.0.len()
                ))
            })
    }
    fn u16(&self, at: usize) -> Result<u16, LinalgError> {
        let b = self.slice(at, 2)?;
        Ok(u16::from_le_bytes([b[0], b[1]]))
    }
    fn u32(&self, at: usize) -> Result<u32, LinalgError> {
        let b = self.slice(at, 4)?;
        Ok(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }
    fn u64(&self, at: usize) -> Result<u64, LinalgError> {
        let b = self.slice(at, 8)?;
        let mut a = [0u8; 8];
        a.copy_from_slice(b);
        Ok(u64::from_le_bytes(a))
    }
}

const LOCAL_SIG: u32 = 0x0403_4b50;
const CENTRAL_SIG: u32 = 0x0201_4b50;
const EOCD_SIG: u32 = 0x0605_4b50;
const ZIP64_EOCD_SIG: u32 = 0x0606_4b50;
const ZIP64_LOCATOR_SIG: u32 = 0x0706_4b50;

fn to_usize(v: u64) -> Result<usize, LinalgError> {
    usize::try_from(v).map_err(|_| zip_err(format!("size {v} does not fit in memory")))
}

/// One member, as the central directory describes it.
#[derive(Debug)]
struct Member {
    name: String,
    method: u16,
    crc: u32,
    compressed: usize,
    uncompressed: usize,
    local_offset: usize,
}

/// Finds the end-of-central-directory record and returns `(entries, cd_offset, cd_size)`.
fn central_directory(z: &Bytes<'_>) -> Result<(usize, usize, usize), LinalgError> {
    let len = z.0.len();
    if len < 22 {
        return Err(zip_err("too short to be a zip archive"));
    }
    // The EOCD is 22 bytes plus a comment of at most 65 535 bytes, at the end.
    let lowest = len.saturating_sub(22 + 65_535);
    let mut at = None;
    for p in (lowest..=len - 22).rev() {
        if z.u32(p)? == EOCD_SIG {
            at = Some(p);
            break;
        }
    }
    let eocd = at.ok_or_else(|| zip_err("not a zip archive (no end of central directory)"))?;
    if z.u16(eocd + 4)? != 0 || z.u16(eocd + 6)? != 0 {
        return Err(zip_err("multi-disk archives are not supported"));
    }
    let mut entries = z.u16(eocd + 10)? as u64;
    let mut cd_size = z.u32(eocd + 12)? as u64;
    let mut cd_offset = z.u32(eocd + 16)? as u64;
    if entries == 0xFFFF || cd_size == 0xFFFF_FFFF || cd_offset == 0xFFFF_FFFF {
        // zip64: a locator just before the EOCD points at the zip64 EOCD record.
        let loc = eocd
            .checked_sub(20)
            .ok_or_else(|| zip_err("zip64 locator missing"))?;
        if z.u32(loc)? != ZIP64_LOCATOR_SIG {
            return Err(zip_err("zip64 locator missing"));
        }
        let rec = to_usize(z.u64(loc + 8)?)?;
        if z.u32(rec)? != ZIP64_EOCD_SIG {
            return Err(zip_err("zip64 end of central directory missing"));
        }
        entries = z.u64(rec + 32)?;
        cd_size = z.u64(rec + 40)?;
        cd_offset = z.u64(rec + 48)?;
    }
    let (entries, cd_offset, cd_size) =
        (to_usize(entries)?, to_usize(cd_offset)?, to_usize(cd_size)?);
    z.slice(cd_offset, cd_size)?;
    // Each central record takes at least 46 bytes: a lying count cannot make us allocate.
    if entries > cd_size / 46 {
        return Err(zip_err(format!(
            "{entries} entries cannot fit in a {cd_size}-byte central directory"
        )));
    }
    Ok((entries, cd_offset, cd_size))
}

fn members(z: &Bytes<'_>) -> Result<Vec<Member>, LinalgError> {
    let (entries, mut at, cd_size) = central_directory(z)?;
    let end = at + cd_size;
    let mut out = Vec::with_capacity(entries);
    for _ in 0..entries {
        if z.u32(at)? != CENTRAL_SIG {
            return Err(zip_err(format!(
                "bad central directory record at offset {at}"
            )));
        }
        let flags = z.u16(at + 8)?;
        if flags & 1 != 0 {
            return Err(zip_err("encrypted members are not supported"));
        }
        let method = z.u16(at + 10)?;
        let crc = z.u32(at + 16)?;
        let mut compressed = z.u32(at + 20)? as u64;
        let mut uncompressed = z.u32(at + 24)? as u64;
        let name_len = z.u16(at + 28)? as usize;
        let extra_len = z.u16(at + 30)? as usize;
        let comment_len = z.u16(at + 32)? as usize;
        let mut local = z.u32(at + 42)? as u64;
        let name = String::from_utf8_lossy(z.slice(at + 46, name_len)?).into_owned();
        // zip64 extended information: the 64-bit values, in this order, for each field
        // that holds 0xFFFFFFFF.
        let extra = z.slice(at + 46 + name_len, extra_len)?;
        let mut p = 0;
        while p + 4 <= extra.len() {
            let id = u16::from_le_bytes([extra[p], extra[p + 1]]);
            let size = u16::from_le_bytes([extra[p + 2], extra[p + 3]]) as usize;
            let body = extra
                .get(p + 4..p + 4 + size)
                .ok_or_else(|| zip_err("truncated extra field"))?;
            if id == 1 {
                let eb = Bytes(body);
                let mut q = 0;
                for field in [&mut uncompressed, &mut compressed, &mut local] {
                    if *field == 0xFFFF_FFFF {
                        *field = eb.u64(q)?;
                        q += 8;
                    }
                }
            }
            p += 4 + size;
        }
        out.push(Member {
            name,
            method,
            crc,
            compressed: to_usize(compressed)?,
            uncompressed: to_usize(uncompressed)?,
            local_offset: to_usize(local)?,
        });
        at += 46 + name_len + extra_len + comment_len;
        if at > end {
            return Err(zip_err("central directory records overrun the directory"));
        }
    }
    Ok(out)
}

/// The uncompressed bytes of a member, CRC-checked.
fn member_data(z: &Bytes<'_>, m: &Member) -> Result<Vec<u8>, LinalgError> {
    let at = m.local_offset;
    if z.u32(at)? != LOCAL_SIG {
        return Err(zip_err(format!(
            "member {:?}: no local header at offset {at}",
            m.name
        )));
    }
    let name_len = z.u16(at + 26)? as usize;
    let extra_len = z.u16(at + 28)? as usize;
    let raw = z.slice(at + 30 + name_len + extra_len, m.compressed)?;
    let data = match m.method {
        0 => {
            if m.compressed != m.uncompressed {
                return Err(zip_err(format!(
                    "member {:?}: stored sizes disagree ({} and {})",
                    m.name, m.compressed, m.uncompressed
                )));
            }
            raw.to_vec()
        }
        8 => {
            let out = miniz_oxide::inflate::decompress_to_vec_with_limit(raw, m.uncompressed)
                .map_err(|e| zip_err(format!("member {:?}: bad deflate data ({e:?})", m.name)))?;
            if out.len() != m.uncompressed {
                return Err(zip_err(format!(
                    "member {:?}: inflated to {} bytes, expected {}",
                    m.name,
                    out.len(),
                    m.uncompressed
                )));
            }
            out
        }
        other => {
            return Err(LinalgError::Unsupported {
                op: "load_npz",
                message: format!(
                    "member {:?}: compression method {other} (only stored and deflate are read)",
                    m.name
                ),
            });
        }
    };
    if crc32(&data) != m.crc {
        return Err(zip_err(format!("member {:?}: CRC-32 mismatch", m.name)));
    }
    Ok(data)
}

/// The arrays of an `.npz` archive, in archive order (numpy's `NpzFile`).
///
/// ```
/// use lapis::{array, io::{read_npz, write_npz, NpySave}};
/// let mut buf = Vec::new();
/// let (a, b) = (array![1., 2.], array![[1i64, 2], [3, 4]]);
/// write_npz(&mut buf, &[("a", &a as &dyn NpySave), ("b", &b)]).unwrap();
/// let z = read_npz(&buf).unwrap();
/// assert_eq!(z.names().collect::<Vec<_>>(), ["a", "b"]);
/// assert_eq!(z.array::<f64>("a").unwrap(), a);
/// assert_eq!(z.array::<i64>("b").unwrap(), b);
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct Npz {
    entries: Vec<(String, NpyArray)>,
}

impl Npz {
    /// The names of the arrays (member names without `.npy`), in archive order (numpy's
    /// `npz.files`).
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.entries.iter().map(|(n, _)| n.as_str())
    }

    /// The array called `name`, of any dtype (numpy's `npz[name]`).
    pub fn get(&self, name: &str) -> Option<&NpyArray> {
        self.entries.iter().find(|(n, _)| n == name).map(|(_, a)| a)
    }

    /// The array called `name` as element type `T`; an error when it is missing or has
    /// another dtype.
    pub fn array<T: NpyElement>(&self, name: &str) -> Result<crate::Array<T>, LinalgError> {
        self.get(name)
            .ok_or_else(|| LinalgError::InvalidArgument {
                op: "load_npz",
                message: format!("{name} is not a file in the archive"),
            })?
            .clone()
            .into_array()
    }

    /// The number of arrays.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether the archive holds no arrays.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The `(name, array)` pairs.
    pub fn into_entries(self) -> Vec<(String, NpyArray)> {
        self.entries
    }
}

/// Reads an `.npz` archive held in memory (numpy's `np.load(io.BytesIO(data))`).
pub fn read_npz(data: &[u8]) -> Result<Npz, LinalgError> {
    let z = Bytes(data);
    let mut entries = Vec::new();
    for m in members(&z)? {
        let bytes = member_data(&z, &m)?;
        let arr = read_npy_any(&bytes[..]).map_err(|e| match e {
            LinalgError::Format { message, .. } => {
                zip_err(format!("member {:?}: invalid .npy: {message}", m.name))
            }
            other => other,
        })?;
        let name = m.name.strip_suffix(".npy").unwrap_or(&m.name).to_string();
        entries.push((name, arr));
    }
    Ok(Npz { entries })
}

/// Loads an `.npz` file (numpy's `np.load("file.npz")`), written by `np.savez` (stored) or
/// `np.savez_compressed` (deflate).
///
/// ```
/// use lapis::{array, io::{load_npz, save_npz, NpySave}};
/// // numpy: np.savez(path, x=x, mask=mask); z = np.load(path); z["x"]
/// let path = std::env::temp_dir().join("lapis_doc_npz.npz");
/// let (x, mask) = (array![1f32, 2.], array![true, false]);
/// save_npz(&path, &[("x", &x as &dyn NpySave), ("mask", &mask)]).unwrap();
/// let z = load_npz(&path).unwrap();
/// assert_eq!(z.array::<f32>("x").unwrap(), x);
/// assert_eq!(z.array::<bool>("mask").unwrap(), mask);
/// # std::fs::remove_file(&path).ok();
/// ```
pub fn load_npz(path: impl AsRef<Path>) -> Result<Npz, LinalgError> {
    let path = path.as_ref();
    let data = std::fs::read(path).map_err(|e| io_err(e, &path.display().to_string()))?;
    read_npz(&data)
}

/// An array that can be written into an `.npz` archive: any array or view of an
/// [`NpyElement`] type, or an [`NpyArray`].
pub trait NpySave {
    /// Writes the array as `.npy` bytes.
    fn write_npy_to(&self, out: &mut Vec<u8>) -> Result<(), LinalgError>;
}

impl<T: NpyElement, S: Data<Elem = T>> NpySave for ArrayBase<S> {
    fn write_npy_to(&self, out: &mut Vec<u8>) -> Result<(), LinalgError> {
        write_npy(out, self)
    }
}

impl NpySave for NpyArray {
    fn write_npy_to(&self, out: &mut Vec<u8>) -> Result<(), LinalgError> {
        self.write_to(out)
    }
}

/// Writes the arrays as an uncompressed `.npz` archive to `writer` (numpy's
/// `np.savez(f, name=a, …)`); member `i` is `names[i] + ".npy"`. Members over 4 GiB are
/// not supported (no zip64 writing).
pub fn write_npz(
    mut writer: impl Write,
    arrays: &[(&str, &dyn NpySave)],
) -> Result<(), LinalgError> {
    let werr = |e| io_err(e, "writing .npz");
    let mut central = Vec::new();
    let mut offset: u64 = 0;
    for (i, (name, arr)) in arrays.iter().enumerate() {
        if arrays[..i].iter().any(|(n, _)| n == name) {
            return Err(LinalgError::InvalidArgument {
                op: "save_npz",
                message: format!("the name {name:?} is used twice"),
            });
        }
        let mut data = Vec::new();
        arr.write_npy_to(&mut data)?;
        let file = format!("{name}.npy");
        let too_big = |what: &str| LinalgError::Unsupported {
            op: "save_npz",
            message: format!("{what} over 4 GiB (zip64 writing is not supported)"),
        };
        let size = u32::try_from(data.len()).map_err(|_| too_big("a member"))?;
        let at = u32::try_from(offset).map_err(|_| too_big("an archive"))?;
        let name_len = u16::try_from(file.len()).map_err(|_| LinalgError::InvalidArgument {
            op: "save_npz",
            message: "name too long".into(),
        })?;
        let crc = crc32(&data);
        // version needed, flags, method (stored), time, date (1980-01-01), crc, sizes, name
        let common = |v: &mut Vec<u8>| {
            v.extend_from_slice(&20u16.to_le_bytes());
            v.extend_from_slice(&0u16.to_le_bytes());
            v.extend_from_slice(&0u16.to_le_bytes());
            v.extend_from_slice(&0u16.to_le_bytes());
            v.extend_from_slice(&0x21u16.to_le_bytes());
            v.extend_from_slice(&crc.to_le_bytes());
            v.extend_from_slice(&size.to_le_bytes());
            v.extend_from_slice(&size.to_le_bytes());
            v.extend_from_slice(&name_len.to_le_bytes());
            v.extend_from_slice(&0u16.to_le_bytes());
        };
        let mut local = Vec::with_capacity(30 + file.len());
        local.extend_from_slice(&LOCAL_SIG.to_le_bytes());
        common(&mut local);
        local.extend_from_slice(file.as_bytes());
        writer.write_all(&local).map_err(werr)?;
        writer.write_all(&data).map_err(werr)?;

        central.extend_from_slice(&CENTRAL_SIG.to_le_bytes());
        central.extend_from_slice(&20u16.to_le_bytes()); // version made by
        common(&mut central);
        central.extend_from_slice(&0u16.to_le_bytes()); // comment length
        central.extend_from_slice(&0u16.to_le_bytes()); // disk
        central.extend_from_slice(&0u16.to_le_bytes()); // internal attributes
        central.extend_from_slice(&0u32.to_le_bytes()); // external attributes
        central.extend_from_slice(&at.to_le_bytes());
        central.extend_from_slice(file.as_bytes());
        offset += (local.len() + data.len()) as u64;
    }
    let count = u16::try_from(arrays.len()).map_err(|_| LinalgError::Unsupported {
        op: "save_npz",
        message: "more than 65 535 arrays".into(),
    })?;
    let cd_at = u32::try_from(offset).map_err(|_| LinalgError::Unsupported {
        op: "save_npz",
        message: "an archive over 4 GiB (zip64 writing is not supported)".into(),
    })?;
    let mut eocd = Vec::with_capacity(22);
    eocd.extend_from_slice(&EOCD_SIG.to_le_bytes());
    eocd.extend_from_slice(&[0; 4]); // disk numbers
    eocd.extend_from_slice(&count.to_le_bytes());
    eocd.extend_from_slice(&count.to_le_bytes());
    eocd.extend_from_slice(&(central.len() as u32).to_le_bytes());
    eocd.extend_from_slice(&cd_at.to_le_bytes());
    eocd.extend_from_slice(&0u16.to_le_bytes()); // comment length
    writer.write_all(&central).map_err(werr)?;
    writer.write_all(&eocd).map_err(werr)?;
    writer.flush().map_err(werr)
}

/// Saves the arrays to an uncompressed `.npz` file (numpy's `np.savez(path, name=a, …)`);
/// see [`write_npz`] and [`load_npz`].
pub fn save_npz(
    path: impl AsRef<Path>,
    arrays: &[(&str, &dyn NpySave)],
) -> Result<(), LinalgError> {
    let path = path.as_ref();
    let f = std::fs::File::create(path).map_err(|e| io_err(e, &path.display().to_string()))?;
    write_npz(std::io::BufWriter::new(f), arrays)
}

#[cfg(test)]
mod tests {
    use super::crc32;

    #[test]
    fn crc32_known_values() {
        assert_eq!(crc32(b""), 0);
        assert_eq!(crc32(b"123456789"), 0xCBF4_3926);
    }
}
