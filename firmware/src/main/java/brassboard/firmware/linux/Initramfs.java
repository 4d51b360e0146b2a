package brassboard.firmware.linux;

import brassboard.firmware.api.ImageException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.compress.archivers.cpio.CpioArchiveEntry;
import org.apache.commons.compress.archivers.cpio.CpioArchiveOutputStream;
import org.apache.commons.compress.archivers.cpio.CpioConstants;

/**
 * Builds an initramfs (a "newc" cpio archive, Documentation/driver-api/early-userspace) from a file
 * list in the syntax of the kernel's {@code usr/gen_init_cpio}, so that no root privileges are needed
 * for device nodes or ownership:
 *
 * <pre>
 * # comment
 * dir   /dev 0755 0 0
 * nod   /dev/console 0600 0 0 c 5 1
 * file  /bin/busybox busybox 0755 0 0       (source path relative to the list's directory)
 * slink /bin/sh busybox 0777 0 0
 * </pre>
 *
 * Every entry's modification time is zero and inode numbers count from 1 in list order, so the same
 * list and files give the same archive, byte for byte.
 */
public final class Initramfs {
    private Initramfs() {
    }

    /** One entry of the list. */
    private record Entry(String kind, String name, int mode, int uid, int gid, byte[] data, String target, char devType, int major, int minor) {
    }

    /** Builds the archive described by {@code list}. */
    public static byte[] build(Path list) throws ImageException {
        List<String> lines;
        try {
            lines = Files.readAllLines(list, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new ImageException(list + ": no such file, expected an initramfs file list", e);
        } catch (IOException e) {
            throw new ImageException(list + ": cannot read the initramfs file list (" + e.getMessage() + ")", e);
        }
        Path base = list.toAbsolutePath().getParent();
        List<Entry> entries = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            entries.add(parse(list, i + 1, line, base));
        }
        if (entries.isEmpty()) {
            throw new ImageException(list + ": no entries; expected lines like 'file /init init 0755 0 0'");
        }
        return write(entries);
    }

    private static Entry parse(Path list, int lineNo, String line, Path base) throws ImageException {
        String[] f = line.split("\\s+");
        String where = list + ":" + lineNo + ": ";
        int want = switch (f[0]) {
            case "dir" -> 5;
            case "file", "slink" -> 6;
            case "nod" -> 8;
            default -> throw new ImageException(where + "unknown entry type '" + f[0] + "'; expected dir, file, nod or slink");
        };
        if (f.length != want) {
            throw new ImageException(where + "'" + f[0] + "' takes " + (want - 1) + " fields, found " + (f.length - 1)
                    + " (" + usage(f[0]) + ")");
        }
        if (!f[1].startsWith("/")) {
            throw new ImageException(where + "name '" + f[1] + "' must be an absolute path in the archive, like /init");
        }
        int m = f[0].equals("dir") ? 2 : f[0].equals("nod") ? 2 : 3;
        int mode = number(where, "mode", f[m], 8, 07777);
        int uid = number(where, "uid", f[m + 1], 10, Integer.MAX_VALUE);
        int gid = number(where, "gid", f[m + 2], 10, Integer.MAX_VALUE);
        switch (f[0]) {
            case "dir":
                return new Entry("dir", f[1], mode, uid, gid, new byte[0], null, ' ', 0, 0);
            case "slink":
                return new Entry("slink", f[1], mode, uid, gid, f[2].getBytes(StandardCharsets.UTF_8), f[2], ' ', 0, 0);
            case "file": {
                Path src = base.resolve(f[2]);
                try {
                    return new Entry("file", f[1], mode, uid, gid, Files.readAllBytes(src), null, ' ', 0, 0);
                } catch (NoSuchFileException e) {
                    throw new ImageException(where + "source file " + src + " does not exist", e);
                } catch (IOException e) {
                    throw new ImageException(where + "cannot read source file " + src + " (" + e.getMessage() + ")", e);
                }
            }
            default: {
                if (!f[5].equals("c") && !f[5].equals("b")) {
                    throw new ImageException(where + "device type '" + f[5] + "'; expected c (character) or b (block)");
                }
                return new Entry("nod", f[1], mode, uid, gid, new byte[0], null, f[5].charAt(0),
                        number(where, "major", f[6], 10, 4095), number(where, "minor", f[7], 10, 1 << 20));
            }
        }
    }

    private static String usage(String kind) {
        return switch (kind) {
            case "dir" -> "dir NAME MODE UID GID";
            case "file" -> "file NAME SOURCE MODE UID GID";
            case "slink" -> "slink NAME TARGET MODE UID GID";
            default -> "nod NAME MODE UID GID c|b MAJOR MINOR";
        };
    }

    private static int number(String where, String what, String text, int radix, int max) throws ImageException {
        try {
            long v = Long.parseLong(text, radix);
            if (v < 0 || v > max) {
                throw new NumberFormatException();
            }
            return (int) v;
        } catch (NumberFormatException e) {
            throw new ImageException(where + what + " '" + text + "' is not a valid " + (radix == 8 ? "octal " : "") + what
                    + " (0 to " + (radix == 8 ? "0" + Integer.toOctalString(max) : Integer.toString(max)) + ")");
        }
    }

    private static byte[] write(List<Entry> entries) throws ImageException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (CpioArchiveOutputStream out = new CpioArchiveOutputStream(bytes, CpioConstants.FORMAT_NEW)) {
            long inode = 1;
            for (Entry e : entries) {
                CpioArchiveEntry a = new CpioArchiveEntry(CpioConstants.FORMAT_NEW, e.name().substring(1));
                long type = switch (e.kind()) {
                    case "dir" -> CpioConstants.C_ISDIR;
                    case "slink" -> CpioConstants.C_ISLNK;
                    case "file" -> CpioConstants.C_ISREG;
                    default -> e.devType() == 'c' ? CpioConstants.C_ISCHR : CpioConstants.C_ISBLK;
                };
                a.setMode(type | e.mode());
                a.setUID(e.uid());
                a.setGID(e.gid());
                a.setTime(0);
                a.setInode(inode++);
                a.setNumberOfLinks(e.kind().equals("dir") ? 2 : 1);
                if (e.kind().equals("nod")) {
                    a.setRemoteDeviceMaj(e.major());
                    a.setRemoteDeviceMin(e.minor());
                }
                a.setSize(e.data().length);
                out.putArchiveEntry(a);
                out.write(e.data());
                out.closeArchiveEntry();
            }
            out.finish();
        } catch (IOException e) {
            throw new ImageException("cannot write the initramfs archive: " + e.getMessage(), e);
        }
        return bytes.toByteArray();
    }
}
