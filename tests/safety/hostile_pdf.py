"""A hand-written PDF that tries to act on the reader's machine: launch actions, JavaScript on
open and on links, file: and javascript: URIs, links into other files and an embedded file."""

from __future__ import annotations


def _link(rect: str, action: str) -> str:
    return f"<< /Type /Annot /Subtype /Link /Rect [{rect}] /Border [0 0 0] /A {action} >>"


LINKS = {
    "launch": "<< /S /Launch /F (calc.exe) >>",
    "launch-win": "<< /S /Launch /Win << /F (cmd.exe) /P (/c echo pwned > pwned.txt) >> >>",
    "javascript-action": "<< /S /JavaScript /JS (app.launchURL('https://evil.example/');) >>",
    "javascript-uri": "<< /S /URI /URI (javascript:alert\\(1\\)) >>",
    "file-uri": "<< /S /URI /URI (file:///etc/passwd) >>",
    "smb-uri": "<< /S /URI /URI (smb://evil.example/share) >>",
    "gotor": "<< /S /GoToR /F (other.pdf) /D [0 /Fit] >>",
    "gotoe": "<< /S /GoToE /T << /R /C /N (payload.pdf) >> /D [0 /Fit] >>",
    "web": "<< /S /URI /URI (https://treaties.example.org/convention) >>",
    "page-2": "<< /S /GoTo /D [7 0 R /Fit] >>",
}


def hostile_pdf_bytes() -> bytes:
    annots = []
    objects: dict[int, str] = {}
    next_id = 20
    for n, action in enumerate(LINKS.values()):
        y = 700 - n * 50
        objects[next_id] = _link(f"72 {y} 300 {y + 30}", action)
        annots.append(f"{next_id} 0 R")
        next_id += 1
    content = b"BT /F1 12 Tf 72 760 Td (Article 1. Links that must never act.) Tj ET"
    objects.update(
        {
            1: "<< /Type /Catalog /Pages 2 0 R /OpenAction 4 0 R /Names << /EmbeddedFiles 9 0 R "
            "/JavaScript << /Names [(run) 4 0 R] >> >> >>",
            2: "<< /Type /Pages /Kids [3 0 R 7 0 R] /Count 2 >>",
            3: f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 5 0 R "
            f"/Resources << /Font << /F1 6 0 R >> >> /Annots [{' '.join(annots)}] "
            "/AA << /O 4 0 R >> >>",
            4: "<< /S /JavaScript /JS (this.exportDataObject({cName: 'payload.exe', nLaunch: 2});) >>",
            6: "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
            7: "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 8 0 R "
            "/Resources << /Font << /F1 6 0 R >> >> >>",
            9: "<< /Names [(payload.exe) 10 0 R] >>",
            10: "<< /Type /Filespec /F (payload.exe) /EF << /F 11 0 R >> >>",
        }
    )
    streams = {
        5: content,
        8: b"BT /F1 12 Tf 72 760 Td (Article 2. The target of the page link.) Tj ET",
        11: b"MZ this would be a program",
    }
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets: dict[int, int] = {}
    for number in sorted(set(objects) | set(streams)):
        offsets[number] = len(out)
        if number in streams:
            data = streams[number]
            extra = " /Type /EmbeddedFile" if number == 11 else ""
            out += f"{number} 0 obj\n<< /Length {len(data)}{extra} >>\nstream\n".encode()
            out += data + b"\nendstream\nendobj\n"
        else:
            out += f"{number} 0 obj\n{objects[number]}\nendobj\n".encode()
    size = max(offsets) + 1
    xref = len(out)
    out += f"xref\n0 {size}\n".encode() + b"0000000000 65535 f \n"
    for number in range(1, size):
        if number in offsets:
            out += f"{offsets[number]:010d} 00000 n \n".encode()
        else:
            out += b"0000000000 65535 f \n"
    out += f"trailer\n<< /Size {size} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)
