/** Typical devices, as their X-Device-Info and User-Agent describe them: the seed's and the simulator's presets. */
export type DeviceProfile = {
  id: string;
  label: string;
  userAgent: string;
  deviceInfo: Record<string, string | number>;
};

export const DEVICE_PROFILES: DeviceProfile[] = [
  {
    id: "apple-tv",
    label: "Apple TV 4K (tvOS 17)",
    userAgent: "AppleTV14,1/17.4 CFNetwork/1494.0.7 Darwin/23.4.0",
    deviceInfo: {
      model: "AppleTV14,1",
      manufacturer: "Apple",
      version: "3rd generation",
      osName: "tvOS",
      osVersion: "17.4",
      connectionType: "WiFi",
      primaryHardwareType: "SetTopBox",
      displayWidth: 3840,
      displayHeight: 2160,
    },
  },
  {
    id: "android-tv",
    label: "Android TV (Chromecast with Google TV)",
    userAgent: "Dalvik/2.1.0 (Linux; U; Android 12; Chromecast Build/STTE.230319.008)",
    deviceInfo: {
      model: "Chromecast",
      manufacturer: "Google",
      version: "HD",
      osName: "Android",
      osVersion: "12",
      connectionType: "WiFi",
      primaryHardwareType: "SetTopBox",
      displayWidth: 1920,
      displayHeight: 1080,
    },
  },
  {
    id: "roku",
    label: "Roku Ultra",
    userAgent: "Roku/DVP-12.5 (12.5.0.4178-88)",
    deviceInfo: {
      model: "4800X",
      manufacturer: "Roku",
      version: "Ultra",
      osName: "Roku OS",
      osVersion: "12.5",
      connectionType: "Ethernet",
      primaryHardwareType: "SetTopBox",
      displayWidth: 3840,
      displayHeight: 2160,
    },
  },
  {
    id: "fire-tv",
    label: "Fire TV Stick 4K",
    userAgent: "Mozilla/5.0 (Linux; Android 9; AFTKA Build/PS7633) AppleWebKit/537.36",
    deviceInfo: {
      model: "AFTKA",
      manufacturer: "Amazon",
      version: "4K Max",
      osName: "Fire OS",
      osVersion: "7.6.6.3",
      connectionType: "WiFi",
      primaryHardwareType: "SetTopBox",
      displayWidth: 3840,
      displayHeight: 2160,
    },
  },
  {
    id: "samsung-tv",
    label: "Samsung Smart TV (Tizen 7)",
    userAgent: "Mozilla/5.0 (SMART-TV; LINUX; Tizen 7.0) AppleWebKit/537.36 TV Safari/537.36",
    deviceInfo: {
      model: "QN65Q80C",
      manufacturer: "Samsung",
      version: "2023",
      osName: "Tizen",
      osVersion: "7.0",
      connectionType: "WiFi",
      primaryHardwareType: "SmartTV",
      displayWidth: 3840,
      displayHeight: 2160,
    },
  },
  {
    id: "lg-tv",
    label: "LG TV (webOS 23)",
    userAgent:
      "Mozilla/5.0 (Web0S; Linux/SmartTV) AppleWebKit/537.36 Chrome/94.0 Safari/537.36 WebAppManager",
    deviceInfo: {
      model: "OLED55C3",
      manufacturer: "LG",
      version: "2023",
      osName: "webOS",
      osVersion: "23",
      connectionType: "Ethernet",
      primaryHardwareType: "SmartTV",
      displayWidth: 3840,
      displayHeight: 2160,
    },
  },
  {
    id: "web",
    label: "Web browser (Chrome on macOS)",
    userAgent: "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4) AppleWebKit/537.36 Chrome/124.0 Safari/537.36",
    deviceInfo: {
      model: "Macintosh",
      manufacturer: "Apple",
      osName: "macOS",
      osVersion: "14.4",
      browserName: "Chrome",
      browserVendor: "Google",
      browserVersion: "124.0",
      connectionType: "WiFi",
      primaryHardwareType: "Desktop",
    },
  },
  {
    id: "iphone",
    label: "iPhone (iOS 17)",
    userAgent: "AcmeTV/3.2 (iPhone15,2; iOS 17.4.1) CFNetwork/1494.0.7",
    deviceInfo: {
      model: "iPhone15,2",
      manufacturer: "Apple",
      osName: "iOS",
      osVersion: "17.4.1",
      connectionType: "Cellular",
      primaryHardwareType: "Mobile",
      displayWidth: 1179,
      displayHeight: 2556,
    },
  },
];
