"""An operating-system error told in Chinese: the one wording of every I/O failure.

Part of the core, beside the pipeline's front door: reading a file (`pipeline`), starting
a converter (`read.wordprocessing`), binding a port (`jixiao serve`) and any edge that
shows an `OSError` to a user say why by its errno, from the table below. The system's
own `strerror` is English (or the server's locale) and never reaches a user.
"""

from __future__ import annotations

import errno
import socket

# errno → why, as a user reads it. A port's wording where the errno concerns sockets.
_REASONS: dict[int, str] = {
    errno.ENOENT: "文件或文件夹不存在",
    errno.EACCES: "没有读取权限",
    errno.EPERM: "操作不被允许（权限不足）",
    errno.EISDIR: "这是文件夹，不是文件",
    errno.ENOTDIR: "路径中有一级不是文件夹",
    errno.ENAMETOOLONG: "文件名或路径过长",
    errno.ELOOP: "符号链接层数过多（可能是循环链接）",
    errno.EEXIST: "文件已存在",
    errno.ENOTEMPTY: "文件夹不是空的",
    errno.ENOSPC: "磁盘空间不足",
    errno.EROFS: "文件系统是只读的",
    errno.EFBIG: "文件过大",
    errno.EIO: "读写设备时出错",
    errno.EBUSY: "文件或设备正被占用",
    errno.EMFILE: "打开的文件过多",
    errno.ENFILE: "系统打开的文件过多",
    errno.ENOMEM: "内存不足",
    errno.ENXIO: "设备不存在",
    errno.ENODEV: "设备不存在",
    errno.EXDEV: "不能跨文件系统移动",
    errno.EINVAL: "参数无效",
    errno.EPIPE: "输出已被关闭",
    errno.EAGAIN: "资源暂时不可用，请稍后再试",
    errno.EINTR: "操作被中断",
    errno.ETIMEDOUT: "连接超时",
    errno.ECONNREFUSED: "连接被拒绝",
    errno.ECONNRESET: "连接被对方重置",
    errno.EHOSTUNREACH: "无法到达主机",
    errno.ENETUNREACH: "网络不可达",
    errno.EADDRINUSE: "端口已被占用",
    errno.EADDRNOTAVAIL: "本机没有这个地址",
    errno.EAFNOSUPPORT: "不支持这种地址",
}

# The same errno means another thing on a port: EACCES there is a privileged port.
_PORT_REASONS: dict[int, str] = {
    errno.EACCES: "没有使用该端口的权限（1024 以下的端口需要管理员权限）",
    errno.EPERM: "没有使用该端口的权限",
}


def describe_os_error(exc: OSError, *, port: int | None = None) -> str:
    """Why `exc` happened, in Chinese, by its errno (「文件或文件夹不存在」, 「端口已被占用」 …);
    `port` says the error came from binding that port. The caller names the path or the
    address; an errno outside the table is 「系统错误（errno N）」, never `strerror`."""
    if isinstance(exc, socket.gaierror):
        # getaddrinfo's errors are EAI_* codes, not errno values: every one means the
        # host name could not be turned into an address.
        return "无法解析主机名"
    code = exc.errno
    if code is None:
        return "系统错误"
    if port is not None and code in _PORT_REASONS:
        return _PORT_REASONS[code]
    return _REASONS.get(code, f"系统错误（errno {code}）")
